/* The log drafts kept in the browser, and sending them: shared by the pages (offline.js,
   log-form.js) and the service worker (/sw.js), so it touches no page.

   A draft is one record per person and session, key "draft:<user>:<session>", in IndexedDB
   (through the vendored idb-keyval). It holds every field of the log form as typed, the chosen
   photos as blobs, the version the form was opened on and its one-time token, and a status:
     editing   typed, not sent;
     queued    "Save draft" or "Submit" was pressed without a connection: send when possible;
     conflict  the server refused it as stale: someone else saved the log meanwhile;
     refused   the server found errors in it;
     closed    the log can no longer change (confirmed, or the session cancelled).
   A draft is removed only when the server says it saved that very content.

   Sending posts the same form to the same address as the page, with the header
   X-Civic-Sync: 1 (views.logbook answers in JSON). The one-time token makes a send that
   arrives twice (a lost answer, two tabs, Background Sync) count once. */
(function (root) {
  "use strict";

  var kv = root.idbKeyval;
  var STATE_URL = "/offline/state/";
  var store = null;

  function db() {
    if (!store) {
      store = kv.createStore("civic-labour", "drafts");
    }
    return store;
  }

  function draftKey(user, session) {
    return "draft:" + user + ":" + session;
  }

  function pagesCache(user) {
    return "civic-pages-" + user;
  }

  function getMeta() {
    return kv.get("meta", db()).then(function (meta) {
      return meta || {};
    });
  }

  function setMeta(changes) {
    return kv.update(
      "meta",
      function (meta) {
        return Object.assign({}, meta || {}, changes);
      },
      db()
    );
  }

  function getDraft(user, session) {
    return kv.get(draftKey(user, session), db());
  }

  function putDraft(record) {
    return kv.set(draftKey(record.user, record.session), record, db());
  }

  function deleteDraft(user, session) {
    return kv.del(draftKey(user, session), db());
  }

  function drafts(user) {
    var prefix = draftKey(user, "");
    return kv.entries(db()).then(function (entries) {
      return entries
        .filter(function (entry) {
          return typeof entry[0] === "string" && entry[0].indexOf(prefix) === 0;
        })
        .map(function (entry) {
          return entry[1];
        });
    });
  }

  // Signing out leaves nothing of the person in the browser: drafts, queued sends and kept
  // pages go; the static files and the offline page, which are the same for everyone, stay.
  function forgetUser(user) {
    if (!user) {
      return Promise.resolve();
    }
    return drafts(user)
      .then(function (records) {
        return Promise.all(
          records.map(function (record) {
            return deleteDraft(record.user, record.session);
          })
        );
      })
      .then(function () {
        return root.caches ? root.caches.delete(pagesCache(user)) : null;
      })
      .then(function () {
        return setMeta({ user: "", keptAt: 0 });
      });
  }

  // A sign-out form (the app's header, the admin site's "Log out") that first removes the
  // person from this browser, then is sent; sent all the same if the clean-up fails.
  function forgetBeforeSubmit(form, user) {
    form.addEventListener("submit", function (event) {
      if (!user || form.dataset.forgotten) {
        return;
      }
      event.preventDefault();
      var done = function () {
        form.dataset.forgotten = "1";
        form.submit();
      };
      forgetUser(user).then(done, done);
    });
  }

  function fieldValue(record, name) {
    for (var i = 0; i < record.fields.length; i += 1) {
      if (record.fields[i][0] === name) {
        return record.fields[i][1];
      }
    }
    return null;
  }

  // The file a photo slot sends: the photo made smaller on the phone, unless the person asked
  // to keep its GPS location, which only the file as taken holds (the server shrinks it then).
  function photoFile(record, photo) {
    var keep = fieldValue(record, photo.field.replace(/-image$/, "-keep_location")) !== null;
    var blob = keep || !photo.shrunk ? photo.original : photo.shrunk;
    var name = keep || !photo.shrunk ? photo.filename : photo.filename.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: blob.type || "image/jpeg" });
  }

  function formData(record, csrf) {
    var data = new FormData();
    record.fields.forEach(function (pair) {
      data.append(pair[0], pair[1]);
    });
    (record.photos || []).forEach(function (photo) {
      data.append(photo.field, photoFile(record, photo));
    });
    data.set("csrfmiddlewaretoken", csrf);
    data.set("action", record.action || "draft");
    return data;
  }

  // Who is signed in here, a CSRF token and the pages to keep (views.offline.state).
  function state() {
    return fetch(STATE_URL, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    }).then(
      function (response) {
        if (response.status === 401) {
          return { user: null, online: true };
        }
        if (!response.ok) {
          return { user: null, online: false };
        }
        return response.json().then(function (body) {
          body.online = true;
          return body;
        });
      },
      function () {
        return { user: null, online: false };
      }
    );
  }

  function outcomeOf(status, text) {
    var body = null;
    try {
      body = JSON.parse(text);
    } catch (error) {
      body = null;
    }
    if (body && body.outcome) {
      return body;
    }
    if (status === 403) {
      return { outcome: "csrf" }; // Django's CSRF page: a fresh token and one more try
    }
    if (status === 404) {
      return { outcome: "closed", message: "" };
    }
    if (status >= 400 && status < 500) {
      return { outcome: "invalid", form_html: null }; // refused as it is: sending again won't help
    }
    return { outcome: "network" }; // no answer, or the server is down for a while: try later
  }

  // One POST of the draft. With onProgress (pages), XMLHttpRequest reports the upload's
  // progress; the service worker has only fetch.
  function post(record, csrf, onProgress) {
    var data = formData(record, csrf);
    var headers = { "X-Civic-Sync": "1", "X-CSRFToken": csrf, Accept: "application/json" };
    if (onProgress && root.XMLHttpRequest) {
      return new Promise(function (resolve) {
        var request = new XMLHttpRequest();
        request.open("POST", record.url);
        Object.keys(headers).forEach(function (name) {
          request.setRequestHeader(name, headers[name]);
        });
        request.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) {
            onProgress(event.loaded / event.total);
          }
        });
        request.addEventListener("load", function () {
          resolve(outcomeOf(request.status, request.responseText));
        });
        request.addEventListener("error", function () {
          resolve({ outcome: "network" });
        });
        request.addEventListener("abort", function () {
          resolve({ outcome: "network" });
        });
        request.send(data);
      });
    }
    return fetch(record.url, {
      method: "POST",
      body: data,
      headers: headers,
      credentials: "same-origin",
    }).then(
      function (response) {
        return response.text().then(function (text) {
          return outcomeOf(response.status, text);
        });
      },
      function () {
        return { outcome: "network" };
      }
    );
  }

  // Send a draft for the person signed in now; a stale CSRF token (a new sign-in rotates it)
  // gets one fresh try. Resolves to the server's outcome, or "login" / "network" / "other-user".
  function send(record, options) {
    options = options || {};
    return state().then(function (current) {
      if (!current.online) {
        return { outcome: "network" };
      }
      if (!current.user) {
        return { outcome: "login" };
      }
      if (current.user !== record.user) {
        return { outcome: "other-user" };
      }
      return post(record, current.csrf, options.onProgress).then(function (result) {
        if (result.outcome !== "csrf") {
          return result;
        }
        return state().then(function (fresh) {
          return fresh.user === record.user
            ? post(record, fresh.csrf, options.onProgress)
            : { outcome: "login" };
        });
      });
    });
  }

  // What a send's outcome does to the stored draft. Returns the record as it is now (null once
  // removed). A draft changed while it was being sent keeps the changes, on the new version.
  function settle(record, result) {
    return getDraft(record.user, record.session).then(function (now) {
      now = now || record;
      if (result.outcome === "saved") {
        // The kept copy of the form is older than what was just saved: keep it again soon.
        setMeta({ keptAt: 0 });
        if (now.rev === record.rev) {
          return deleteDraft(record.user, record.session).then(function () {
            return null;
          });
        }
        setField(now, "version", String(result.version));
        setField(now, "token", newToken());
        now.status = "editing";
      } else if (result.outcome === "stale") {
        now.status = "conflict";
      } else if (result.outcome === "invalid") {
        now.status = "refused";
      } else if (result.outcome === "closed") {
        now.status = "closed";
        now.message = result.message || "";
      } else {
        return now; // not sent: stays queued
      }
      return putDraft(now).then(function () {
        return now;
      });
    });
  }

  function setField(record, name, value) {
    record.fields = record.fields.filter(function (pair) {
      return pair[0] !== name;
    });
    record.fields.push([name, value]);
  }

  function newToken() {
    if (root.crypto && root.crypto.randomUUID) {
      return root.crypto.randomUUID();
    }
    var bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // One sender at a time in this browser, where it can say so (Web Locks): two tabs and the
  // service worker would otherwise send the same draft together. The token would make the
  // second count for nothing; the lock saves the upload.
  function exclusively(task) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request("civic-labour-send", task);
    }
    return task();
  }

  // Send every queued draft of the person signed in, except the one a page is sending itself
  // (skip). Resolves to [{record, result}] for what was tried.
  function flush(skip) {
    function waiting(record) {
      return record.status === "queued" && String(record.session) !== String(skip || "");
    }
    return exclusively(function () {
      // Every page calls this as it opens, and almost always nothing waits: look in the
      // browser first, and ask the server who is signed in only when something does, so that
      // opening a page costs one request, not two.
      return kv.values(db()).then(function (stored) {
        var any = stored.some(function (record) {
          return record && waiting(record);
        });
        if (!any) {
          return [];
        }
        return sendWaiting(waiting);
      });
    });
  }

  function sendWaiting(waiting) {
    return state().then(function (current) {
      if (!current.user) {
        return [];
      }
      return drafts(current.user).then(function (records) {
        return records.filter(waiting).reduce(function (done, record) {
          return done.then(function (results) {
            return send(record).then(function (result) {
              return settle(record, result).then(function () {
                return results.concat([{ record: record, result: result }]);
              });
            });
          });
        }, Promise.resolve([]));
      });
    });
  }

  root.CivicSync = {
    deleteDraft: deleteDraft,
    drafts: drafts,
    exclusively: exclusively,
    fieldValue: fieldValue,
    flush: flush,
    forgetBeforeSubmit: forgetBeforeSubmit,
    forgetUser: forgetUser,
    getDraft: getDraft,
    getMeta: getMeta,
    newToken: newToken,
    pagesCache: pagesCache,
    photoFile: photoFile,
    putDraft: putDraft,
    send: send,
    setField: setField,
    setMeta: setMeta,
    settle: settle,
    state: state,
  };
})(self);
