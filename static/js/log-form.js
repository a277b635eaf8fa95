/* The session log form (templates/sessions/log.html), made for a phone with a weak signal.
   The page works fully without this script: every button here also works as a plain submit.

   Conveniences:
   - a person's workdays box is enabled only while their "came" box is ticked;
   - choosing a work type fills in its usual unit while the unit is still blank (or was filled
     in by this script);
   - Enter in a field never sends the form; in the name search it finds people in place;
   - "Find", "Add a row" and "Add another photo" work in place, without a reload;
   - a chosen photo is made smaller on the phone (to the server's PHOTO_MAX_SIDE, as JPEG,
     upright) unless its location is to be kept; the server still checks and re-encodes it.

   Nothing typed is lost (sync-core.js keeps the draft in the browser):
   - every change is kept in the browser at once, photos included, and put back when the
     form opens again (reload, Back, a killed browser, a new sign-in);
   - "Save draft" and "Submit" send through sync-core with the upload's progress; without a
     connection, or without a sign-in, the log waits on the phone and is sent when possible;
   - a refused send brings back the server's form with its errors marked, or the two versions
     side by side when someone else saved the log meanwhile; the chosen photos stay chosen;
   - the draft is removed only when the server says it saved it. */
(function () {
  "use strict";

  var form = document.querySelector("[data-log-form]");
  if (!form) {
    return;
  }

  var sync = window.CivicSync;
  var user = document.body.getAttribute("data-user") || "";
  var session = form.getAttribute("data-session");
  var body = form.querySelector("[data-log-body]");
  var maxSide = parseInt(form.getAttribute("data-photo-max-side"), 10) || 1600;
  var lang = document.documentElement.lang || "vi";
  var texts = readTexts();
  var keeps = Boolean(sync && window.indexedDB && user && session);
  var photos = {}; // file field name → {field, filename, original, shrunk}
  var current = null; // the stored draft, as last written
  var rev = 0;
  var sending = false;
  var saveTimer = null;

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

  function clock(ms) {
    return new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  // --- Conveniences -------------------------------------------------------------------------

  function syncWorkdays(box) {
    if (!box) {
      return;
    }
    var days = document.getElementById(box.getAttribute("data-workdays"));
    if (days) {
      days.disabled = !box.checked;
    }
  }

  function syncAllWorkdays() {
    form.querySelectorAll("input[data-workdays]").forEach(syncWorkdays);
  }

  function fillUnit(select) {
    var match = /^(outputs-\d+-)(work_type|unit)$/.exec(select.name);
    var unit = match ? field(match[1] + "unit") : null;
    if (!unit) {
      return;
    }
    if (match[2] === "unit") {
      delete unit.dataset.filled; // the person chose; leave it alone from now on
      return;
    }
    var option = select.options[select.selectedIndex];
    var usual = option ? option.getAttribute("data-unit") : null;
    if (usual && (unit.value === "" || unit.dataset.filled === "1")) {
      unit.value = usual;
      unit.dataset.filled = "1";
    }
  }

  // Another row from the blank row the page carries (the formset's empty form): work done
  // ("output") or a villagers' opinion ("opinion"), whose formsets are named "outputs" and
  // "opinions".
  function addRow(kind) {
    var prefix = kind + "s";
    var template = form.querySelector("[data-" + kind + "-template]");
    var rows = form.querySelector("[data-" + kind + "-rows]");
    var total = field(prefix + "-TOTAL_FORMS");
    var most = field(prefix + "-MAX_NUM_FORMS");
    if (!template || !rows || !total) {
      return null;
    }
    var index = parseInt(total.value, 10);
    if (most && index >= parseInt(most.value, 10)) {
      return null; // the server says why on a plain submit; no row beyond the limit here
    }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    var row = holder.querySelector("[data-" + kind + "-row]");
    rows.appendChild(row);
    total.value = String(index + 1);
    return row;
  }

  function addOutput() {
    return addRow("output");
  }

  // Another photo slot: a copy of the last one, renumbered and cleared.
  function addPhotoSlot() {
    var slots = form.querySelector("[data-photo-slots]");
    var total = field("photos-TOTAL_FORMS");
    var last = slots ? slots.querySelector("[data-photo-slot]:last-of-type") : null;
    if (!last || !total) {
      return null;
    }
    var index = parseInt(total.value, 10);
    var slot = last.cloneNode(true);
    var renumber = function (value) {
      return value.replace(/photos-\d+-/g, "photos-" + index + "-");
    };
    slot.classList.remove("photo-slot--error");
    slot.querySelectorAll(".field__errors, [data-photo-preview]").forEach(function (node) {
      node.remove();
    });
    slot.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (node) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        if (node.hasAttribute(attribute)) {
          node.setAttribute(attribute, renumber(node.getAttribute(attribute)));
        }
      });
      node.removeAttribute("aria-invalid");
      if (node.type === "checkbox") {
        node.checked = false;
      } else if ("value" in node && node.tagName !== "BUTTON") {
        node.value = "";
      }
    });
    slot.querySelectorAll(".field--error").forEach(function (node) {
      node.classList.remove("field--error");
    });
    var legend = slot.querySelector("legend");
    if (legend) {
      legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
    }
    slots.appendChild(slot);
    total.value = String(index + 1);
    return slot;
  }

  function findPeople() {
    var input = field("search");
    var result = form.querySelector("[data-search-result]");
    var list = form.querySelector("[data-people-list]");
    if (!input || !result || !list) {
      return;
    }
    if (!navigator.onLine) {
      result.textContent = texts.searchOffline;
      return;
    }
    var params = new URLSearchParams();
    params.set("search", input.value.trim());
    list.querySelectorAll("[data-member]").forEach(function (row) {
      params.append("listed", row.getAttribute("data-member"));
    });
    result.textContent = texts.searching;
    fetch(form.getAttribute("data-people-url") + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          throw new Error("search failed");
        }
        return response.text();
      })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html");
        found.querySelectorAll("[data-people-found] > li").forEach(function (row) {
          var node = document.importNode(row, true);
          node.setAttribute("data-added", "");
          list.appendChild(node);
          syncWorkdays(node.querySelector("input[data-workdays]"));
        });
        var empty = form.querySelector("[data-people-empty]");
        if (empty && list.children.length) {
          empty.hidden = true;
        }
        var message = found.querySelector("[data-people-message]");
        result.textContent = message ? message.textContent.replace(/\s+/g, " ").trim() : "";
        saveSoon();
      })
      .catch(function () {
        result.textContent = texts.searchOffline;
      });
  }

  // --- Photos -------------------------------------------------------------------------------

  function keepsLocation(name) {
    var box = field(name.replace(/-image$/, "-keep_location"));
    return Boolean(box && box.checked);
  }

  function shrink(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) {
      return Promise.resolve(null);
    }
    return createImageBitmap(file, { imageOrientation: "from-image" })
      .then(function (bitmap) {
        var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        return new Promise(function (resolve) {
          canvas.toBlob(resolve, "image/jpeg", 0.85);
        });
      })
      .then(function (blob) {
        // A small JPEG already is sent as it is.
        return blob && (blob.size < file.size || file.type !== "image/jpeg") ? blob : null;
      })
      .catch(function () {
        return null; // a format this browser cannot draw: sent as chosen, the server judges it
      });
  }

  function kilobytes(size) {
    return new Intl.NumberFormat(lang).format(Math.max(1, Math.round(size / 1024))) + " KB";
  }

  function showPreview(input, photo) {
    var slot = input.closest("[data-photo-slot]");
    if (!slot) {
      return;
    }
    var old = slot.querySelector("[data-photo-preview]");
    if (old) {
      old.remove();
    }
    if (!photo) {
      return;
    }
    var file = sync.photoFile({ fields: keepsLocation(photo.field) ? [[photo.field.replace(/-image$/, "-keep_location"), "on"]] : [] }, photo);
    var figure = document.createElement("figure");
    figure.className = "photo-slot__preview";
    figure.setAttribute("data-photo-preview", "");
    var image = document.createElement("img");
    image.src = URL.createObjectURL(file);
    image.alt = "";
    image.width = 160;
    var caption = document.createElement("figcaption");
    caption.textContent = file.name + " · " + (photo.shrunk && !keepsLocation(photo.field) ? format(texts.photoShrunk, { size: kilobytes(file.size) }) : kilobytes(file.size));
    figure.appendChild(image);
    figure.appendChild(caption);
    input.insertAdjacentElement("afterend", figure);
  }

  // Put a kept photo into its file box, as the file to send (made smaller, or as taken).
  function applyPhoto(name) {
    var input = field(name);
    var photo = photos[name];
    if (!input || !photo || !window.DataTransfer) {
      return;
    }
    var fields = keepsLocation(name) ? [[name.replace(/-image$/, "-keep_location"), "on"]] : [];
    var chosen = new DataTransfer();
    chosen.items.add(sync.photoFile({ fields: fields }, photo));
    input.files = chosen.files;
    showPreview(input, photo);
  }

  function photoChosen(input) {
    var file = input.files && input.files[0];
    if (!file) {
      delete photos[input.name];
      showPreview(input, null);
      saveSoon();
      return;
    }
    shrink(file).then(function (shrunk) {
      photos[input.name] = { field: input.name, filename: file.name, original: file, shrunk: shrunk };
      applyPhoto(input.name);
      saveSoon();
    });
  }

  // --- The draft kept in the browser --------------------------------------------------------

  function collect() {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || element.disabled || ["csrfmiddlewaretoken", "search", "action"].indexOf(name) !== -1) {
        return;
      }
      if (["file", "submit", "button", "reset"].indexOf(element.type) !== -1) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) {
          fields.push([name, element.value]);
        }
      } else if (element.type === "select-multiple") {
        Array.prototype.forEach.call(element.selectedOptions, function (option) {
          fields.push([name, option.value]);
        });
      } else {
        fields.push([name, element.value]);
      }
    });
    var people = [];
    form.querySelectorAll("[data-people-list] [data-added]").forEach(function (row) {
      people.push({ member: row.getAttribute("data-member"), html: row.outerHTML });
    });
    return {
      user: user,
      session: session,
      url: location.pathname,
      title: form.getAttribute("data-title") || "",
      fields: fields,
      people: people,
      photos: Object.keys(photos)
        .sort()
        .map(function (name) {
          return photos[name];
        }),
    };
  }

  function showStatus(text, link) {
    var box = form.querySelector("[data-log-sync]");
    var line = form.querySelector("[data-log-status]");
    if (!box || !line) {
      return;
    }
    box.hidden = false;
    line.textContent = text;
    if (link) {
      line.appendChild(document.createTextNode(" "));
      var anchor = document.createElement("a");
      anchor.href = link.href;
      anchor.textContent = link.label;
      line.appendChild(anchor);
    }
    var forget = form.querySelector("[data-log-forget]");
    if (forget) {
      forget.hidden = !current;
    }
  }

  function announceDrafts() {
    window.dispatchEvent(new CustomEvent("civic:drafts-changed"));
  }

  // Keep the form as it is now. status: "queued" to send when possible, else it stays queued
  // if it was, or becomes "editing". A new draft gets a fresh one-time token: the page it was
  // typed on may be a copy kept on the phone, shown more than once.
  function saveNow(status, action) {
    if (!keeps) {
      return Promise.resolve(null);
    }
    clearTimeout(saveTimer);
    saveTimer = null;
    if (!current && field("token")) {
      field("token").value = sync.newToken();
    }
    var record = collect();
    rev += 1;
    record.rev = rev;
    record.savedAt = Date.now();
    record.action = action || (current && current.action) || "draft";
    record.status = status || (current && current.status === "queued" ? "queued" : "editing");
    return sync.putDraft(record).then(function () {
      current = record;
      if (record.status === "queued") {
        showStatus(format(texts.queuedAt, { time: clock(record.savedAt) }));
      } else {
        showStatus(format(texts.savedLocally, { time: clock(record.savedAt) }));
      }
      announceDrafts();
      return record;
    });
  }

  function saveSoon() {
    if (!keeps || sending) {
      return;
    }
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 300);
  }

  function restore(record) {
    (record.people || []).forEach(function (person) {
      var list = form.querySelector("[data-people-list]");
      if (list && !list.querySelector('[data-member="' + person.member + '"]')) {
        var holder = document.createElement("ul");
        holder.innerHTML = person.html;
        list.appendChild(holder.firstElementChild);
      }
    });
    var wanted = function (name) {
      return parseInt(sync.fieldValue(record, name) || "0", 10);
    };
    while (field("outputs-TOTAL_FORMS") && parseInt(field("outputs-TOTAL_FORMS").value, 10) < wanted("outputs-TOTAL_FORMS")) {
      if (!addOutput()) {
        break;
      }
    }
    while (field("opinions-TOTAL_FORMS") && parseInt(field("opinions-TOTAL_FORMS").value, 10) < wanted("opinions-TOTAL_FORMS")) {
      if (!addRow("opinion")) {
        break;
      }
    }
    while (field("photos-TOTAL_FORMS") && parseInt(field("photos-TOTAL_FORMS").value, 10) < wanted("photos-TOTAL_FORMS")) {
      if (!addPhotoSlot()) {
        break;
      }
    }
    var values = {};
    record.fields.forEach(function (pair) {
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || ["csrfmiddlewaretoken", "search", "action", "listed"].indexOf(name) !== -1) {
        return;
      }
      if (["file", "submit", "button", "reset"].indexOf(element.type) !== -1) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Boolean(values[name]) && values[name].indexOf(element.value) !== -1;
      } else if (values[name]) {
        element.value = values[name][0];
      }
    });
    photos = {};
    (record.photos || []).forEach(function (photo) {
      photos[photo.field] = photo;
      applyPhoto(photo.field);
    });
    syncAllWorkdays();
    var empty = form.querySelector("[data-people-empty]");
    if (empty && form.querySelector("[data-people-list] [data-member]")) {
      empty.hidden = true;
    }
  }

  // --- Sending ------------------------------------------------------------------------------

  function setBusy(busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button").forEach(function (button) {
      button.disabled = busy;
    });
    var progress = form.querySelector("[data-log-progress]");
    if (progress) {
      progress.hidden = !busy;
    }
    if (busy) {
      progressAt(0);
    }
  }

  function progressAt(fraction) {
    var bar = form.querySelector("[data-log-progress-bar]");
    var label = form.querySelector("[data-log-progress-text]");
    var percent = Math.round(fraction * 100);
    if (bar) {
      bar.value = percent;
    }
    if (label) {
      label.textContent = new Intl.NumberFormat(lang).format(percent) + " %";
    }
  }

  function waitForNetwork() {
    showStatus(texts.queued);
    if (navigator.serviceWorker && window.SyncManager) {
      navigator.serviceWorker.ready
        .then(function (registration) {
          return registration.sync.register("civic-logs");
        })
        .catch(function () {
          return null; // the "online" event and the next page opened send it instead
        });
    }
  }

  // The server refused the log (errors, or someone else's version): show its form, with the
  // chosen photos back in their boxes, and keep the draft as it now stands.
  function showRefusal(result) {
    body.innerHTML = result.form_html;
    Object.keys(photos).forEach(applyPhoto);
    syncAllWorkdays();
    var focus = body.querySelector("#log-conflict, #log-errors");
    return saveNow("editing").then(function () {
      if (focus) {
        focus.setAttribute("tabindex", "-1");
        focus.focus();
        focus.scrollIntoView({ block: "start" });
      }
    });
  }

  function settled(record, result) {
    var outcome = result.outcome;
    if (outcome === "saved") {
      return sync.settle(record, result).then(function () {
        current = null;
        announceDrafts();
        location.assign(result.url);
      });
    }
    if ((outcome === "stale" || outcome === "invalid") && result.form_html) {
      return showRefusal(result);
    }
    if (outcome === "invalid") {
      return sync.settle(record, result).then(function (now) {
        current = now;
        showStatus(format(texts.refused, { title: record.title }));
      });
    }
    if (outcome === "closed") {
      return sync.settle(record, result).then(function (now) {
        current = now;
        showStatus(format(texts.closed, { title: record.title, message: result.message || "" }));
      });
    }
    if (outcome === "login" || outcome === "other-user") {
      showStatus(texts.signIn, {
        href: "/accounts/login/?next=" + encodeURIComponent(location.pathname),
        label: texts.signInLink,
      });
      return Promise.resolve();
    }
    waitForNetwork();
    return Promise.resolve();
  }

  // Send the draft now, showing the upload's progress. It is stored as "queued" first, so that
  // a page closed in the middle sends it again later (the token makes that count once).
  function sendNow(action) {
    if (sending) {
      return Promise.resolve();
    }
    sending = true;
    setBusy(true);
    return saveNow("queued", action)
      .then(function (record) {
        showStatus(texts.sendingQueued);
        return sync
          .exclusively(function () {
            // Another sender (the service worker, another tab) may have sent it meanwhile.
            return sync.getDraft(user, session).then(function (now) {
              if (!now) {
                return { outcome: "saved", url: form.getAttribute("data-session-url") };
              }
              return sync.send(record, { onProgress: progressAt });
            });
          })
          .then(function (result) {
            sending = false;
            setBusy(false);
            return settled(record, result);
          });
      })
      .catch(function () {
        sending = false;
        setBusy(false);
        showStatus(texts.failed);
      });
  }

  // --- Events -------------------------------------------------------------------------------

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("input[data-workdays]")) {
      syncWorkdays(target);
    }
    if (target instanceof HTMLSelectElement) {
      fillUnit(target);
    }
    if (keeps && target.type === "file" && /^photos-\d+-image$/.test(target.name)) {
      photoChosen(target);
      return;
    }
    if (target.type === "checkbox" && /-keep_location$/.test(target.name)) {
      applyPhoto(target.name.replace(/-keep_location$/, "-image"));
    }
    // A tick or a choice is kept at once; typing, a moment after the last key.
    if (keeps && !sending) {
      saveNow();
    }
  });

  form.addEventListener("input", saveSoon);

  // Leaving the page (a reload, another app, the browser closing) keeps the last keys typed.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && saveTimer && !sending) {
      saveNow();
    }
  });
  window.addEventListener("pagehide", function () {
    if (saveTimer && !sending) {
      saveNow();
    }
  });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !(target instanceof HTMLInputElement)) {
      return; // a textarea keeps its new lines; a button does what it says
    }
    if (["submit", "button", "reset", "file"].indexOf(target.type) !== -1) {
      return;
    }
    event.preventDefault();
    if (target.name === "search") {
      findPeople();
    }
  });

  form.addEventListener("click", function (event) {
    var target = event.target.closest("button, a");
    if (!target) {
      return;
    }
    if (target.matches("[data-add-photo]")) {
      event.preventDefault();
      var slot = addPhotoSlot();
      var file = slot ? slot.querySelector("input[type=file]") : null;
      if (file) {
        file.focus();
      }
      saveSoon();
    } else if (target.matches("[data-add-output], [data-add-opinion]")) {
      event.preventDefault();
      var row = addRow(target.matches("[data-add-opinion]") ? "opinion" : "output");
      var first = row ? row.querySelector("select, input:not([type=hidden])") : null;
      if (first) {
        first.focus();
      }
      saveSoon();
    } else if (target.name === "action" && target.value === "find") {
      event.preventDefault();
      findPeople();
    } else if (keeps && target.matches("[data-log-discard]")) {
      // "Use the saved version": the draft goes, the saved log opens.
      event.preventDefault();
      sync.deleteDraft(user, session).then(function () {
        location.assign(target.href);
      });
    } else if (keeps && target.matches("[data-log-forget]")) {
      if (window.confirm(texts.discardConfirm)) {
        sync.deleteDraft(user, session).then(function () {
          location.reload();
        });
      }
    }
  });

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var action = submitter ? submitter.value : "";
    if (!keeps || (action !== "draft" && action !== "submit")) {
      return; // the plain form post, as without this script
    }
    event.preventDefault();
    if (sending) {
      return;
    }
    if (navigator.onLine) {
      sendNow(action);
    } else {
      saveNow("queued", action).then(waitForNetwork);
    }
  });

  window.addEventListener("online", function () {
    if (current && current.status === "queued") {
      sendNow(current.action);
    }
  });

  // A page brought back by Back after it was sent would hold a spent token: load it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      location.reload();
    }
  });

  // --- Opening the form ---------------------------------------------------------------------

  syncAllWorkdays();
  if (!keeps) {
    return;
  }
  var pageVersion = parseInt((field("version") || {}).value || "0", 10);
  var live = document.documentElement.getAttribute("data-copy") !== "kept";
  sync.getDraft(user, session).then(function (record) {
    if (!record) {
      return;
    }
    current = record;
    rev = record.rev || 0;
    restore(record);
    showStatus(format(texts.restored, { time: clock(record.savedAt) }));
    var draftVersion = parseInt(sync.fieldValue(record, "version") || "0", 10);
    if (record.status === "queued" && navigator.onLine) {
      sendNow(record.action);
    } else if (record.status === "queued") {
      showStatus(format(texts.queuedAt, { time: clock(record.savedAt) }));
    } else if (record.status === "closed") {
      showStatus(format(texts.closed, { title: record.title, message: record.message || "" }));
    } else if (live && navigator.onLine && draftVersion < pageVersion) {
      // The log was saved on the server after this draft began. Sending the draft cannot
      // save it (its version is older); the server answers with both versions to choose from.
      sendNow(record.action || "draft");
    }
  });
})();
