// The "Link ready" page, enhanced: the read-only field selects its whole link on focus or click,
// and the copy button (hidden until this runs) copies it and says so in the page's status
// region, which screen readers announce. Without JavaScript the field is still there to copy by hand.
const button = document.querySelector('[data-copy-field]')
const field = button && document.getElementById(button.dataset.copyField)
const status = document.getElementById('copy-status')

if (field) {
  field.addEventListener('focus', () => field.select())
  field.addEventListener('click', () => field.select())
  if (navigator.clipboard) {
    button.hidden = false
    button.addEventListener('click', async () => {
      status.textContent = '' // emptied first, so a second copy is announced again
      try {
        await navigator.clipboard.writeText(field.value)
        status.textContent = button.dataset.copied
      } catch {
        field.focus()
        status.textContent = button.dataset.failed
      }
    })
  }
}
