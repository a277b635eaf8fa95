/* On every page: the installable app's side of things, all optional (the pages work without).
   - registers the service worker (/sw.js);
   - tells the browser's storage who is signed in and in which language, so the service
     worker shows that person's kept pages and the offline page in their language;
   - keeps the person's pages for use without signal (programs.offline.pages_to_keep);
   - sends the logs queued on this phone when the page opens online and when the network
     returns, and says what happened in the line under the header;
   - signing out first removes everything of the person from the browser. */
(function () {
  "use strict";

  var sync = window.CivicSync;
  var texts = readTexts();
  var user = document.body.getAttribute("data-user") || "";
  var banner = document.querySelector("[data-offline-banner]");
  // Pages are kept again at most this often, and at once after a log was saved: a dozen
  // pages cost a slow village link a few hundred kilobytes.
  var KEEP_EVERY_MS = 60 * 60 * 1000;

  function readTexts() {
    var node = document.getElementById("civic-offline-texts");
    try {
      return node ? JSON.parse(node.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function format(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return values && name in values ? values[name] : match;
    });
  }

  function say(lines) {
    if (!banner) {
      return;
    }
    banner.textContent = "";
    lines.forEach(function (line) {
      var paragraph = document.createElement("p");
      paragraph.appendChild(document.createTextNode(line.text));
      if (line.href) {
        paragraph.appendChild(document.createTextNode(" "));
        var link = document.createElement("a");
        link.href = line.href;
        link.textContent = line.label;
        paragraph.appendChild(link);
      }
      banner.appendChild(paragraph);
    });
    banner.hidden = lines.length === 0;
  }

  function currentLogSession() {
    var form = document.querySelector("[data-log-form]");
    return form ? form.getAttribute("data-session") : "";
  }

  // What the queued and refused drafts of this person need from them, in words.
  function describe(records, sent) {
    var lines = sent.map(function (title) {
      return { text: format(texts.sent, { title: title }) };
    });
    var here = currentLogSession();
    var waiting = 0;
    records.forEach(function (record) {
      if (String(record.session) === here) {
        return; // the log form says it itself
      }
      var values = { title: record.title, message: record.message || "" };
      if (record.status === "queued") {
        waiting += 1;
      } else if (record.status === "conflict") {
        lines.push({ text: format(texts.conflict, values), href: record.url, label: texts.open });
      } else if (record.status === "refused") {
        lines.push({ text: format(texts.refused, values), href: record.url, label: texts.open });
      } else if (record.status === "closed") {
        lines.push({ text: format(texts.closed, values), href: record.url, label: texts.open });
      }
    });
    if (waiting) {
      lines.push({ text: format(waiting === 1 ? texts.waiting : texts.waitingMany, { count: waiting }) });
    }
    return lines;
  }

  function report(sent) {
    if (!user) {
      return Promise.resolve();
    }
    return sync.drafts(user).then(function (records) {
      var lines = describe(records, sent || []);
      if (document.documentElement.getAttribute("data-copy") === "kept") {
        lines.unshift({ text: texts.offlineCopy });
      }
      say(lines);
    });
  }

  function sendQueued() {
    if (!user || !navigator.onLine) {
      return report();
    }
    return sync
      .flush(currentLogSession())
      .then(function (results) {
        var sent = results
          .filter(function (item) {
            return item.result.outcome === "saved";
          })
          .map(function (item) {
            return item.record.title;
          });
        return report(sent);
      })
      .catch(function () {
        return report();
      });
  }

  // The person's overview and log forms, fetched now and kept, so that they open without
  // signal. Fetched with X-Civic-Prefetch: the server then leaves one-time messages for the
  // page the person opens next.
  function keepPages() {
    if (!user || !navigator.onLine || !window.caches) {
      return Promise.resolve();
    }
    return sync.getMeta().then(function (meta) {
      if (meta.keptBy === user && Date.now() - (meta.keptAt || 0) < KEEP_EVERY_MS) {
        return null;
      }
      return sync.state().then(function (state) {
        if (state.user !== user) {
          return null;
        }
        return caches.open(sync.pagesCache(user)).then(function (cache) {
          var wanted = state.pages.map(function (path) {
            return new URL(path, location.href).href;
          });
          var fetches = wanted.map(function (url) {
            return fetch(url, {
              credentials: "same-origin",
              headers: { "X-Civic-Prefetch": "1" },
            }).then(function (response) {
              // A redirect means the page is not this person's any more (signed out meanwhile).
              if (response.ok && !response.redirected) {
                return cache.put(url, response);
              }
              return null;
            });
          });
          return Promise.all(fetches)
            .then(function () {
              return cache.keys();
            })
            .then(function (requests) {
              return Promise.all(
                requests
                  .filter(function (request) {
                    return wanted.indexOf(request.url) === -1;
                  })
                  .map(function (request) {
                    return cache.delete(request);
                  })
              );
            })
            .then(function () {
              return sync.setMeta({ keptBy: user, keptAt: Date.now() });
            });
        });
      });
    });
  }

  function forgetOnSignOut() {
    if (!sync) {
      return; // the sign-out works as before, only without the clean-up
    }
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      sync.forgetBeforeSubmit(form, user);
    });
  }

  function start() {
    forgetOnSignOut();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        return null; // an old or locked-down browser: the pages work the same, only not offline
      });
    }
    if (!sync || !window.indexedDB) {
      return;
    }
    // On the sign-in page, online, nobody's kept pages may be shown until someone signs in:
    // the next person on this phone may not be the last one.
    var signingIn = !user && navigator.onLine && document.getElementById("login-form");
    var ready = user
      ? sync.setMeta({ user: user, lang: document.documentElement.lang })
      : signingIn
        ? sync.setMeta({ user: "" })
        : Promise.resolve();
    ready
      .then(sendQueued)
      .then(keepPages)
      .catch(function () {
        return null;
      });
    window.addEventListener("online", sendQueued);
    window.addEventListener("civic:drafts-changed", function () {
      report();
    });
  }

  start();
})();
