/**
 * The iframe page's glue: every change of the picker is posted to the parent window, to the one
 * origin the host named in the page's address (never to '*').
 */
import './competency-picker.js'

const picker = document.querySelector('competency-picker')
const origin = document.documentElement.dataset.parentOrigin
if (picker !== null && origin !== undefined && window.parent !== window) {
  picker.addEventListener('change', (event) => {
    window.parent.postMessage({ type: 'competency-picker:change', ...event.detail }, origin)
  })
  picker.ready.then(() => window.parent.postMessage({ type: 'competency-picker:ready' }, origin), () => {})
}
