// Quick exit: blank the page at once, then go through the platform's exit route (the same one the
// link follows without JavaScript), replacing this history entry so Back does not return here.
// The route ends the session on the server and sends the browser on to the neutral page.
const SHIFT_PRESSES = 3
const WITHIN_MS = 5000
// "Or press Shift 3 times" only helps where there is a keyboard: not on touch-only devices, whose
// only pointer is coarse and cannot hover.
const HAS_KEYBOARD = '(any-pointer: fine), (any-hover: hover)'

function leave (url) {
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
  const hint = document.querySelector('.app-quick-exit__hint')
  if (hint && window.matchMedia(HAS_KEYBOARD).matches) hint.hidden = false
}
