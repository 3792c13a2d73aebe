/* Behaviour shared by every page, loaded from a file so the CSP can refuse inline scripts. */
'use strict';

// <select data-autosubmit>: choosing an option submits its form (e.g. the board's filter).
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-autosubmit') && target.form) {
    target.form.submit();
  }
});

// The service worker (web/static/sw.js, served at /sw.js): the site installs as an app and
// shows the inbox as last fetched when offline.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch(() => {});
  });
}
