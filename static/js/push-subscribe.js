/* Notifications on this phone (the settings page's [data-push] section): subscribe the
   browser to Web Push with the site's VAPID key and send the subscription to the server, or
   remove it. Progressive enhancement: without a service worker or Push API the section only
   says how to get one (the installed app). Sentences come translated in data-text-*. */
(function () {
  "use strict";

  var section = document.querySelector("[data-push]");
  if (!section || !("serviceWorker" in navigator) || !("PushManager" in window)) {
    return;
  }
  var subscribeButton = section.querySelector("[data-push-subscribe]");
  var unsubscribeButton = section.querySelector("[data-push-unsubscribe]");
  var status = section.querySelector("[data-push-status]");
  section.querySelector("[data-push-unsupported]").hidden = true;

  function say(name) {
    status.textContent = section.getAttribute("data-text-" + name) || "";
  }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, fields) {
    var body = new URLSearchParams(fields);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      body: body,
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
    });
  }

  function show(subscription) {
    subscribeButton.hidden = Boolean(subscription);
    unsubscribeButton.hidden = !subscription;
  }

  function subscribe(registration) {
    return registration.pushManager
      .subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(section.getAttribute("data-vapid-key")),
      })
      .then(function (subscription) {
        var json = subscription.toJSON();
        return post(section.getAttribute("data-subscribe-url"), {
          endpoint: json.endpoint,
          p256dh: json.keys.p256dh,
          auth: json.keys.auth,
        }).then(function () {
          show(subscription);
          say("on");
        });
      });
  }

  navigator.serviceWorker.ready.then(function (registration) {
    registration.pushManager.getSubscription().then(show);

    subscribeButton.addEventListener("click", function () {
      Notification.requestPermission().then(function (permission) {
        if (permission !== "granted") {
          say("denied");
          return;
        }
        subscribe(registration).catch(function () {
          say("failed");
        });
      });
    });

    unsubscribeButton.addEventListener("click", function () {
      registration.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) {
          show(null);
          return;
        }
        var endpoint = subscription.endpoint;
        subscription
          .unsubscribe()
          .then(function () {
            return post(section.getAttribute("data-unsubscribe-url"), { endpoint: endpoint });
          })
          .then(function () {
            show(null);
            say("off");
          })
          .catch(function () {
            say("failed");
          });
      });
    });
  });
})();
