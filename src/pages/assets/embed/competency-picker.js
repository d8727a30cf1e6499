/**
 * <competency-picker>: pick competencies (and, if allowed, key activities) of the Practice Guide
 * in any form. A form-associated custom element: it submits the selected uuids under its `name`,
 * honours `required`, form reset and restore. No framework, no dependencies.
 *
 * Attributes: base (the service's URL; default: where this module came from), framework (isp),
 * version (latest, or a number), levels (competency, activity, or both comma-separated),
 * multiple, name, required, label, value (initial uuids, comma-separated).
 * Event: `change`, detail { value: uuids, selection: [{ uuid, code, type, name | text, uri, alignment }] }.
 * Styling: the CSS custom properties below, and parts: label, chips, chip, chip-remove, search,
 * results, option, tree, treeitem, status.
 */
const moduleBase = new URL('..', import.meta.url).href.replace(/\/$/, '')

const css = `
:host { display: block; font: inherit; color: var(--picker-text, #0b0c0c); --focus: var(--picker-focus, #ffdd00); }
:host([hidden]) { display: none; }
.box { border: 2px solid var(--picker-border, #505a5f); border-radius: var(--picker-radius, 4px); padding: .5rem; background: var(--picker-background, #fff); }
label { display: block; font-weight: 700; margin-bottom: .25rem; }
input { font: inherit; width: 100%; box-sizing: border-box; padding: .4rem; border: 2px solid var(--picker-border, #505a5f); border-radius: var(--picker-radius, 4px); }
input:focus, [tabindex]:focus, button:focus { outline: 3px solid var(--focus); outline-offset: 0; box-shadow: 0 0 0 5px var(--picker-text, #0b0c0c); }
ul { list-style: none; margin: 0; padding: 0; }
.chips { display: flex; flex-wrap: wrap; gap: .25rem; margin: 0 0 .5rem; }
.chip { display: inline-flex; align-items: center; gap: .25rem; background: var(--picker-accent, #1d70b8); color: var(--picker-accent-text, #fff); border-radius: 1rem; padding: .1rem .2rem .1rem .6rem; }
.chip button { font: inherit; border: 0; background: transparent; color: inherit; cursor: pointer; border-radius: 1rem; min-width: 24px; min-height: 24px; }
.results { border: 1px solid var(--picker-border, #505a5f); max-height: 16rem; overflow: auto; margin-top: .25rem; }
.results:empty, .results[hidden] { display: none; }
[role=option], [role=treeitem] > .row { padding: .3rem .4rem; cursor: pointer; }
[role=option][aria-selected=true], .active { background: var(--picker-highlight, #e8f1f8); }
.tree { margin-top: .5rem; max-height: var(--picker-tree-height, 24rem); overflow: auto; }
[role=group] { padding-left: 1.25rem; }
[role=treeitem][aria-expanded=false] > [role=group] { display: none; }
.twisty { display: inline-block; width: 1.2em; }
[aria-expanded=false] > .row .twisty::before { content: '\\25B8'; }
[aria-expanded=true] > .row .twisty::before { content: '\\25BE'; }
.tick { display: inline-block; width: 1.2em; }
[aria-selected=true] > .row .tick::before { content: '\\2713'; }
.code { font-variant-numeric: tabular-nums; color: var(--picker-muted, #484f53); margin-right: .25rem; }
.status { font-size: .9em; color: var(--picker-muted, #484f53); margin: .25rem 0 0; }
.hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`

let instances = 0

export class CompetencyPicker extends HTMLElement {
  static formAssociated = true
  static observedAttributes = ['base', 'framework', 'version', 'levels']

  #internals = this.attachInternals()
  #root = this.attachShadow({ mode: 'open', delegatesFocus: true })
  #id = `cp${++instances}`
  /** Every pickable item by uuid: { uuid, id, code, type, name|text, uri, domain, competency }. */
  #items = new Map()
  #domains = []
  #selected = []
  #alignments = new Map()
  #version = null
  #loading = null
  #initial = ''

  constructor () {
    super()
    const id = this.#id
    this.#root.innerHTML = `<style>${css}</style><div class="box" part="box">
<label part="label" for="${id}-search"></label>
<ul class="chips" part="chips" aria-label="Selected"></ul>
<input id="${id}-search" part="search" type="text" role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${id}-results" autocomplete="off" placeholder="Search by name, text or code">
<ul id="${id}-results" class="results" part="results" role="listbox" hidden></ul>
<ul class="tree" part="tree" role="tree"></ul>
<p class="status" part="status" role="status" aria-live="polite"></p></div>`
    this.#search.addEventListener('input', () => this.#filter())
    this.#search.addEventListener('keydown', (e) => this.#comboKey(e))
    this.#search.addEventListener('blur', () => setTimeout(() => { if (!this.#root.activeElement?.matches('[role=option]')) this.#close() }, 150))
    this.#list.addEventListener('mousedown', (e) => e.preventDefault())
    this.#list.addEventListener('click', (e) => { const o = e.target.closest('[role=option]'); if (o) this.#toggle(o.dataset.uuid) })
    this.#tree.addEventListener('click', (e) => this.#treeClick(e))
    this.#tree.addEventListener('keydown', (e) => this.#treeKey(e))
    this.#root.querySelector('.chips').addEventListener('click', (e) => {
      const b = e.target.closest('button')
      if (b) { this.#toggle(b.dataset.uuid); this.#search.focus() }
    })
  }

  get #search () { return this.#root.querySelector('input') }
  get #list () { return this.#root.querySelector('.results') }
  get #tree () { return this.#root.querySelector('.tree') }

  connectedCallback () {
    this.#root.querySelector('label').textContent = this.getAttribute('label') ?? (this.#levels.includes('activity') ? 'Competencies and key activities' : 'Competencies')
    this.#tree.setAttribute('aria-label', 'Browse the guide')
    if (this.multiple) this.#tree.setAttribute('aria-multiselectable', 'true')
    this.#initial = this.getAttribute('value') ?? ''
    this.#load()
  }

  attributeChangedCallback (_name, old, now) {
    if (old !== null && old !== now && this.isConnected) { this.#loading = null; this.#load() }
  }

  get form () { return this.#internals.form }
  get name () { return this.getAttribute('name') }
  get type () { return this.localName }
  get validity () { return this.#internals.validity }
  get validationMessage () { return this.#internals.validationMessage }
  get willValidate () { return this.#internals.willValidate }
  checkValidity () { return this.#internals.checkValidity() }
  reportValidity () { return this.#internals.reportValidity() }
  get multiple () { return this.hasAttribute('multiple') }
  set multiple (v) { this.toggleAttribute('multiple', Boolean(v)) }
  get required () { return this.hasAttribute('required') }
  set required (v) { this.toggleAttribute('required', Boolean(v)); this.#sync() }
  /** The selected uuids, comma-separated. */
  get value () { return this.#selected.join(',') }
  set value (v) { this.#select(String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean), false) }
  /** The selection with identifiers and alignments (as in the change event). */
  get selection () { return this.#detail().selection }
  /** Resolves when the guide's content is loaded. */
  get ready () { return this.#loading ?? this.#load() }

  get #levels () { return (this.getAttribute('levels') ?? 'competency').split(',').map((s) => s.trim()) }
  get #base () { return (this.getAttribute('base') ?? moduleBase).replace(/\/$/, '') }

  formResetCallback () { this.#select(this.#initial.split(',').filter(Boolean), false) }
  formStateRestoreCallback (state) { if (typeof state === 'string') this.#select(state.split(',').filter(Boolean), false) }
  formDisabledCallback (disabled) { this.#search.disabled = disabled }

  #api (path) {
    const fw = encodeURIComponent(this.getAttribute('framework') ?? 'isp')
    const v = encodeURIComponent(this.#version ?? this.getAttribute('version') ?? 'latest')
    return `${this.#base}/v1/frameworks/${fw}/${v}${path}`
  }

  async #get (url) {
    const res = await fetch(url, { headers: { accept: 'application/json' } })
    if (!res.ok) throw new Error(`${res.status} from ${url}`)
    return res.json()
  }

  #load () {
    this.#loading ??= (async () => {
      this.#status('Loading…')
      this.#version = null
      try {
        const [domains, competencies] = await Promise.all([
          this.#get(this.#api('/domains?limit=100')),
          this.#get(this.#api('/competencies?include=activities&limit=100'))
        ])
        this.#version = competencies.data[0]?.version ?? null
        this.#items.clear()
        this.#domains = domains.data.map((d) => ({ ...d, competencies: competencies.data.filter((c) => c.domain.id === d.id) }))
        for (const d of this.#domains) {
          for (const c of d.competencies) {
            this.#items.set(c.uuid, { uuid: c.uuid, id: c.id, code: c.code, type: 'competency', name: c.name, uri: c.uri, domain: d.name })
            for (const a of c.activities ?? []) this.#items.set(a.uuid, { uuid: a.uuid, id: a.id, code: a.code, type: 'activity', text: a.text, uri: a.uri, competency: c.name })
          }
        }
        this.#renderTree()
        this.#status('')
        this.#select(this.#selected.length > 0 ? this.#selected : this.#initial.split(',').filter(Boolean), false)
      } catch (err) {
        this.#status('The competencies could not be loaded.')
        throw err
      }
    })()
    return this.#loading
  }

  #status (text) { this.#root.querySelector('.status').textContent = text }
  #pickable (item) { return item !== undefined && this.#levels.includes(item.type) }
  #label (item) { return `${item.code} ${item.name ?? item.text}` }

  #renderTree () {
    const activities = this.#levels.includes('activity')
    const tree = this.#tree
    tree.textContent = ''
    let n = 0
    const node = (label, code, uuid, children) => {
      const li = document.createElement('li')
      const rowId = `${this.#id}-t${++n}`
      li.setAttribute('aria-labelledby', rowId)
      li.setAttribute('role', 'treeitem')
      li.setAttribute('part', 'treeitem')
      li.tabIndex = -1
      if (uuid !== undefined) { li.dataset.uuid = uuid; li.setAttribute('aria-selected', 'false') }
      const row = document.createElement('div')
      row.className = 'row'
      row.id = rowId
      row.innerHTML = `<span class="twisty" aria-hidden="true"></span>${uuid === undefined ? '' : '<span class="tick" aria-hidden="true"></span>'}<span class="code"></span> <span class="text"></span>`
      row.querySelector('.code').textContent = code
      row.querySelector('.text').textContent = label
      li.append(row)
      if (children.length > 0) {
        li.setAttribute('aria-expanded', 'false')
        const group = document.createElement('ul')
        group.setAttribute('role', 'group')
        group.append(...children)
        li.append(group)
      }
      return li
    }
    for (const d of this.#domains) {
      tree.append(node(d.name, d.code, undefined, d.competencies.map((c) => {
        const acts = activities ? (c.activities ?? []).map((a) => node(a.text, a.code, a.uuid, [])) : []
        return node(c.name, c.code, this.#levels.includes('competency') ? c.uuid : undefined, acts)
      })))
    }
    const first = tree.querySelector('[role=treeitem]')
    if (first) first.tabIndex = 0
  }

  #visible () {
    return [...this.#tree.querySelectorAll('[role=treeitem]')].filter((li) => !li.parentElement.closest('[aria-expanded=false]'))
  }

  #focusItem (li) {
    if (!li) return
    for (const x of this.#tree.querySelectorAll('[tabindex="0"]')) x.tabIndex = -1
    li.tabIndex = 0
    li.focus()
  }

  #treeClick (e) {
    const li = e.target.closest('[role=treeitem]')
    if (!li) return
    this.#focusItem(li)
    // The triangle opens and closes; the rest of the row picks, or opens what cannot be picked.
    if (li.dataset.uuid && !e.target.closest('.twisty')) this.#toggle(li.dataset.uuid)
    else if (li.hasAttribute('aria-expanded')) li.setAttribute('aria-expanded', String(li.getAttribute('aria-expanded') !== 'true'))
  }

  #treeKey (e) {
    const li = e.target.closest('[role=treeitem]')
    if (!li) return
    const visible = this.#visible()
    const i = visible.indexOf(li)
    const expanded = li.getAttribute('aria-expanded')
    const keys = {
      ArrowDown: () => this.#focusItem(visible[i + 1]),
      ArrowUp: () => this.#focusItem(visible[i - 1]),
      Home: () => this.#focusItem(visible[0]),
      End: () => this.#focusItem(visible[visible.length - 1]),
      ArrowRight: () => {
        if (expanded === 'false') li.setAttribute('aria-expanded', 'true')
        else if (expanded === 'true') this.#focusItem(li.querySelector('[role=treeitem]'))
      },
      ArrowLeft: () => {
        if (expanded === 'true') li.setAttribute('aria-expanded', 'false')
        else this.#focusItem(li.parentElement.closest('[role=treeitem]'))
      },
      Enter: () => li.dataset.uuid ? this.#toggle(li.dataset.uuid) : keys.ArrowRight(),
      ' ': () => keys.Enter()
    }
    const action = keys[e.key]
    if (action) { e.preventDefault(); action() }
  }

  #filter () {
    const q = this.#search.value.trim().toLowerCase()
    const list = this.#list
    list.textContent = ''
    if (q === '') return this.#close()
    const found = [...this.#items.values()].filter((x) => this.#pickable(x) && this.#label(x).toLowerCase().includes(q)).slice(0, 50)
    for (const item of found) {
      const li = document.createElement('li')
      li.setAttribute('role', 'option')
      li.setAttribute('part', 'option')
      li.id = `${this.#id}-o-${item.code.replace(/\W/g, '-')}`
      li.dataset.uuid = item.uuid
      li.setAttribute('aria-selected', 'false')
      li.setAttribute('aria-checked', String(this.#selected.includes(item.uuid)))
      li.textContent = `${this.#selected.includes(item.uuid) ? '\u2713 ' : ''}${this.#label(item)}`
      list.append(li)
    }
    list.hidden = false
    this.#search.setAttribute('aria-expanded', 'true')
    this.#search.removeAttribute('aria-activedescendant')
    this.#status(found.length === 0 ? 'No matches.' : `${found.length} match${found.length === 1 ? '' : 'es'}; use the down arrow to choose.`)
  }

  #close () {
    this.#list.hidden = true
    this.#search.setAttribute('aria-expanded', 'false')
    this.#search.removeAttribute('aria-activedescendant')
  }

  #comboKey (e) {
    const options = [...this.#list.querySelectorAll('[role=option]')]
    const current = options.findIndex((o) => o.getAttribute('aria-selected') === 'true')
    const move = (i) => {
      if (options.length === 0) return
      if (this.#list.hidden) this.#filter()
      for (const o of options) o.setAttribute('aria-selected', 'false')
      const o = options[(i + options.length) % options.length]
      o.setAttribute('aria-selected', 'true')
      o.scrollIntoView({ block: 'nearest' })
      this.#search.setAttribute('aria-activedescendant', o.id)
    }
    if (e.key === 'ArrowDown') { e.preventDefault(); move(current + 1) } else if (e.key === 'ArrowUp') { e.preventDefault(); move(current - 1) } else if (e.key === 'Enter' && current >= 0) {
      e.preventDefault()
      this.#toggle(options[current].dataset.uuid)
      this.#search.value = ''
      this.#close()
    } else if (e.key === 'Escape') this.#close()
  }

  #toggle (uuid) {
    if (!this.#pickable(this.#items.get(uuid))) return
    const on = this.#selected.includes(uuid)
    const next = on ? this.#selected.filter((x) => x !== uuid) : this.multiple ? [...this.#selected, uuid] : [uuid]
    this.#select(next, true)
    const item = this.#items.get(uuid)
    this.#status(`${on ? 'Removed' : 'Added'} ${this.#label(item)}.`)
  }

  #select (uuids, notify) {
    const known = this.#items.size === 0 ? uuids : uuids.filter((u) => this.#pickable(this.#items.get(u)))
    this.#selected = this.multiple ? [...new Set(known)] : known.slice(0, 1)
    this.#sync()
    if (notify) this.#notify()
  }

  #sync () {
    const name = this.name
    const data = new FormData()
    if (name) for (const uuid of this.#selected) data.append(name, uuid)
    this.#internals.setFormValue(data, this.value)
    if (this.required && this.#selected.length === 0) {
      this.#internals.setValidity({ valueMissing: true }, this.multiple ? 'Choose at least one competency.' : 'Choose a competency.', this.#search)
    } else this.#internals.setValidity({})
    for (const li of this.#tree.querySelectorAll('[data-uuid]')) li.setAttribute('aria-selected', String(this.#selected.includes(li.dataset.uuid)))
    const chips = this.#root.querySelector('.chips')
    chips.textContent = ''
    for (const uuid of this.#selected) {
      const item = this.#items.get(uuid)
      if (!item) continue
      const li = document.createElement('li')
      li.className = 'chip'
      li.setAttribute('part', 'chip')
      const text = document.createElement('span')
      text.textContent = item.type === 'competency' ? this.#label(item) : item.code
      text.title = this.#label(item)
      const remove = document.createElement('button')
      remove.type = 'button'
      remove.setAttribute('part', 'chip-remove')
      remove.dataset.uuid = uuid
      remove.setAttribute('aria-label', `Remove ${this.#label(item)}`)
      remove.textContent = '\u00d7'
      li.append(text, remove)
      chips.append(li)
    }
  }

  #alignment (item) {
    let p = this.#alignments.get(item.uuid)
    if (!p) {
      p = this.#get(this.#api(`/${item.type === 'competency' ? 'competencies' : 'activities'}/${encodeURIComponent(item.id)}/alignment`)).catch(() => null)
      this.#alignments.set(item.uuid, p)
    }
    return p
  }

  #detail (alignments = new Map()) {
    return {
      value: [...this.#selected],
      selection: this.#selected.map((uuid) => this.#items.get(uuid)).filter(Boolean).map((x) => ({
        uuid: x.uuid,
        code: x.code,
        type: x.type,
        ...(x.name === undefined ? { text: x.text } : { name: x.name }),
        uri: x.uri,
        alignment: alignments.get(x.uuid) ?? null
      }))
    }
  }

  async #notify () {
    const items = this.#selected.map((u) => this.#items.get(u)).filter(Boolean)
    const found = await Promise.all(items.map((x) => this.#alignment(x)))
    const alignments = new Map(items.map((x, i) => [x.uuid, found[i]]))
    this.dispatchEvent(new CustomEvent('change', { bubbles: true, detail: this.#detail(alignments) }))
  }
}

if (!customElements.get('competency-picker')) customElements.define('competency-picker', CompetencyPicker)
