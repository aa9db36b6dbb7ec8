// Start GOV.UK Frontend's components. Loaded as a module, so old browsers that cannot run it
// simply get the pages without JavaScript, which work in full.
import { initAll } from '../build/govuk-frontend.min.js'

initAll()
