/* Behaviour shared by every page, loaded from a file so the CSP can refuse inline scripts. */
'use strict';

// <select data-autosubmit>: choosing an option submits its form (e.g. the board's filter).
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) {
    target.form.submit();
  }
});
