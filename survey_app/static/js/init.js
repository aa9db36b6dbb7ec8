// Start the GOV.UK Frontend components the pages use, and only those: the build bundles just
// these into this file, which keeps it small for phones on pay-as-you-go data. A page that starts
// using another component (data-module="govuk-…") needs it added here; a test checks this.
// Loaded as a module, so old browsers that cannot run it simply get the pages without
// JavaScript, which work in full.
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  NotificationBanner,
  PasswordInput,
  Radios,
  SkipLink
} from 'govuk-frontend'

for (const Component of [Button, Checkboxes, ErrorSummary, NotificationBanner, PasswordInput, Radios, SkipLink]) {
  createAll(Component)
}
