{% autoescape off %}/* Civic Labour's service worker, served at /sw.js by programs.views.offline (version {{ version }}).

   - Static files: kept when the worker installs (the ones every page needs) or first used, and
     served from the browser; their addresses change with their content in production.
   - Pages: always from the network. Without one, the signed-in person's kept pages (their
     overview and the log forms they may fill in, kept by offline.js) or else the offline page,
     never the browser's error. Pages are kept per person; nobody is shown another's.
   - Queued logs: sent again on Background Sync, where the browser has it (sync-core.js). */
"use strict";

importScripts("{{ store_script }}", "{{ core_script }}");

var VERSION = "{{ version }}";
var STATIC_CACHE = "civic-static-" + VERSION;
var STATIC_PREFIX = "{{ static_prefix }}";
var PRECACHE = {{ precache }};
var OFFLINE_PAGES = {{ offline_pages }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        var offlinePages = Object.keys(OFFLINE_PAGES).map(function (lang) {
          // Without cookies: the offline page is the same for everyone.
          return fetch(OFFLINE_PAGES[lang], { credentials: "omit" }).then(function (response) {
            if (!response.ok) {
              throw new Error("offline page: " + response.status);
            }
            return cache.put(OFFLINE_PAGES[lang], response);
          });
        });
        return Promise.all([cache.addAll(PRECACHE)].concat(offlinePages));
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("civic-static-") === 0 && name !== STATIC_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function fromStatic(request) {
  return caches.match(request).then(function (hit) {
    if (hit) {
      return hit;
    }
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(STATIC_CACHE).then(function (cache) {
          cache.put(request, copy);
        });
      }
      return response;
    });
  });
}

// A kept page says so: its <html data-copy="live"> becomes "kept", and offline.js shows a line.
function asKeptCopy(response) {
  return response.text().then(function (text) {
    return new Response(text.replace('data-copy="live"', 'data-copy="kept"'), {
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  });
}

function keptPage(url) {
  return CivicSync.getMeta().then(function (meta) {
    if (!meta.user) {
      return null;
    }
    return caches.open(CivicSync.pagesCache(meta.user)).then(function (cache) {
      return cache.match(url, { ignoreVary: true }).then(function (hit) {
        return hit ? asKeptCopy(hit) : null;
      });
    });
  });
}

function offlinePage() {
  return CivicSync.getMeta().then(function (meta) {
    var url = OFFLINE_PAGES[meta.lang] || OFFLINE_PAGES[Object.keys(OFFLINE_PAGES)[0]];
    return caches.match(url).then(function (hit) {
      return hit || Response.error();
    });
  });
}

// The network first; a kept copy or the offline page only when it fails. Not on a slow
// answer: the copy is kept per person, and only a failed network makes sure the person last
// signed in on this phone is still the one looking.
function navigate(request) {
  var url = request.url.split("#")[0];
  return fetch(request).catch(function () {
    return keptPage(url).then(function (kept) {
      return kept || offlinePage();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(fromStatic(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "civic-logs") {
    event.waitUntil(CivicSync.flush());
  }
});

/* Web Push (programs.notifications.channels.webpush): the payload is JSON with a title, a
   body and the address of the page it is about, already in the person's language. */
self.addEventListener("push", function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { title: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "", {
      body: data.body || "",
      icon: STATIC_PREFIX + "img/icon-192.png",
      data: { url: data.url || "/" },
    })
  );
});

/* A tap opens the page it is about: in a window of the app already open, else a new one. */
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  // Only our own pages: a payload cannot send the phone elsewhere.
  if (target.origin !== self.location.origin) {
    target = new URL("/", self.location.origin);
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i += 1) {
        if ("focus" in windows[i] && "navigate" in windows[i]) {
          return windows[i].navigate(target.href).then(function (client) {
            return client ? client.focus() : self.clients.openWindow(target.href);
          });
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
{% endautoescape %}
