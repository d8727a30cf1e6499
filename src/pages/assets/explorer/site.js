// Comfort only: every page works without this script. Copy buttons for identifiers and code,
// and search results as you type on the search page.
for (const pre of document.querySelectorAll('pre.copyable')) {
  if (!navigator.clipboard) break
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'copy-button secondary'
  button.textContent = 'Copy'
  button.setAttribute('aria-label', `Copy ${pre.getAttribute('aria-labelledby') !== null ? document.getElementById(pre.getAttribute('aria-labelledby'))?.textContent ?? '' : 'this code'}`)
  button.addEventListener('click', async () => {
    await navigator.clipboard.writeText(pre.textContent ?? '')
    button.textContent = 'Copied'
    setTimeout(() => { button.textContent = 'Copy' }, 2000)
  })
  pre.after(button)
}

const live = document.querySelector('input[data-live-search]')
const results = document.getElementById('results')
if (live !== null && results !== null) {
  let timer
  let controller
  live.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(async () => {
      const q = live.value.trim()
      if (q.length < 2) return
      controller?.abort()
      controller = new AbortController()
      const url = new URL(live.form.action, location.href)
      url.searchParams.set('q', q)
      try {
        const res = await fetch(url, { signal: controller.signal })
        const doc = new DOMParser().parseFromString(await res.text(), 'text/html')
        const fresh = doc.getElementById('results')
        if (fresh !== null) {
          results.replaceChildren(...fresh.childNodes)
          history.replaceState(null, '', url)
        }
      } catch {
        // An aborted or failed request leaves the results as they were.
      }
    }, 250)
  })
}
