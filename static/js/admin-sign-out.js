/* The admin site's "Log out" does what the app's "Sign out" does (offline.js): it first removes
   the person's drafts and kept pages from this browser, so that the next person on a shared
   phone or office computer finds nothing of theirs. The admin pages load only this, not the
   whole offline app: they are not kept for use without signal. */
(function () {
  "use strict";

  var script = document.currentScript;
  var user = script ? script.getAttribute("data-user") || "" : "";
  var sync = window.CivicSync;

  function start() {
    var form = document.getElementById("logout-form");
    if (!form || !user || !sync || !window.indexedDB) {
      return; // the sign-out works as before, only without the clean-up
    }
    sync.forgetBeforeSubmit(form, user);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
