// Keyboard shortcuts for recording an answer read out on the phone: a number picks that
// choice, D picks "declined", U picks "did not understand". Enter submits, as in any form.
// Without JavaScript the radios work as usual.
const form = document.querySelector('[data-module="app-answer-keys"]')

if (form) {
  const radios = Array.from(form.querySelectorAll('input[type="radio"]'))
  const scale = radios.filter((radio) => !radio.value.startsWith('missing:'))
  const missing = { d: 'missing:declined', u: 'missing:not_understood' }

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return
    if (event.target instanceof HTMLInputElement && event.target.type === 'text') return
    const key = event.key.toLowerCase()
    const byNumber = /^[1-9]$/.test(key) ? scale[Number(key) - 1] : null
    const byLetter = missing[key] ? radios.find((radio) => radio.value === missing[key]) : null
    const chosen = byNumber || byLetter
    if (chosen) {
      chosen.checked = true
      chosen.focus()
      event.preventDefault()
    }
  })
}
