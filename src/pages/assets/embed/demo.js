/** The demo course form: shows each change event's detail, as an LMS would receive it. */
import './competency-picker.js'

const picker = document.querySelector('competency-picker')
const out = document.getElementById('change-detail')
if (picker !== null && out !== null) {
  picker.addEventListener('change', (event) => {
    out.textContent = JSON.stringify(event.detail, null, 2)
  })
}
