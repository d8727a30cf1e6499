import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

/**
 * The layers, bottom first (see ARCHITECTURE.md). A folder may import from folders below it,
 * never from one above it or from another transport; nothing imports the process (app, server).
 */
const transports = ['rest', 'graphql', 'case', 'resolver', 'health', 'pages', 'curricula']
const layers = [['content'], ['store'], ['catalog'], ['formats'], ['web'], transports]
const process = ['app', 'server', 'launch']
/**
 * Files of another transport a transport may import: the curricula coverage page wears the
 * explorer's frame and escaping templates (pure, no routes), as the explorer may not import the
 * curricula store and reports it needs.
 */
const shared = { curricula: ['pages/html', 'pages/layout'] }

function layerRules () {
  return layers.flatMap((layer, at) => layer.map((folder) => {
    const above = layers.slice(at + 1).flat()
    const siblings = at === layers.length - 1 ? transports.filter((t) => t !== folder) : []
    const forbidden = [...above, ...siblings]
    const except = shared[folder] === undefined ? '' : `(?!(?:${shared[folder].join('|')})\\.js$)`
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: {
        '@typescript-eslint/no-restricted-imports': ['error', {
          patterns: [
            ...(forbidden.length === 0
              ? []
              : [{ regex: `^(\\.\\./)+${except}(${forbidden.join('|')})/`, message: `${folder}/ may not import from a layer above it or from another transport (ARCHITECTURE.md).` }]),
            { regex: `^(\\.\\./)+(${process.join('|')})\\.js$`, message: 'The process (app.ts, server.ts) sits above every layer.' }
          ]
        }]
      }
    }
  }))
}

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.tap/', 'node_modules/', 'data/', 'test/.generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The explorer's and the picker's scripts run in browsers.
    files: ['src/pages/assets/**/*.js'],
    languageOptions: { globals: globals.browser }
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  ...layerRules()
)
