// Quick exit: leave at once, blank the page first, and replace this history entry so the
// Back button does not return here. Without JavaScript the button is an ordinary link.
const SHIFT_PRESSES = 3
const WITHIN_MS = 5000

function leave (url) {
  // Forget the access code in this browser, so Back shows only the neutral code page.
  navigator.sendBeacon(button.dataset.leave)
  document.body.hidden = true
  document.title = ''
  window.location.replace(url)
}

const button = document.querySelector('[data-module="app-quick-exit"]')
if (button) {
  button.addEventListener('click', (event) => {
    event.preventDefault()
    leave(button.href)
  })
  let presses = []
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Shift' || event.repeat) return
    const now = Date.now()
    presses = presses.filter((at) => now - at < WITHIN_MS).concat(now)
    if (presses.length >= SHIFT_PRESSES) leave(button.href)
  })
}
