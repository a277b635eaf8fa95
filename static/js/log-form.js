/* The session log form (templates/sessions/log.html): small conveniences only.
   The page works fully without this script; every button here also works as a plain submit.
   - a person's workdays box is enabled only while their "came" box is ticked;
   - choosing a work type fills in its usual unit while the unit is still blank (or was filled
     in by this script);
   - "Add another photo" adds an upload slot in place instead of reloading the page. */
(function () {
  "use strict";

  var form = document.querySelector("[data-log-form]");
  if (!form) {
    return;
  }

  // Workdays follow the "came" box. A disabled box is not sent; the server ignores the
  // workdays of people not ticked anyway.
  form.querySelectorAll("input[data-workdays]").forEach(function (box) {
    var days = document.getElementById(box.getAttribute("data-workdays"));
    if (!days) {
      return;
    }
    var sync = function () {
      days.disabled = !box.checked;
    };
    box.addEventListener("change", sync);
    sync();
  });

  // Unit from the work type's usual unit.
  form.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) {
      return;
    }
    var match = /^(outputs-\d+-)(work_type|unit)$/.exec(select.name);
    if (!match) {
      return;
    }
    var unit = form.elements.namedItem(match[1] + "unit");
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
  });

  // Another photo slot without a round trip: copy the last slot, renumber, clear it.
  var addPhoto = form.querySelector("[data-add-photo]");
  var slots = form.querySelector("[data-photo-slots]");
  var total = form.elements.namedItem("photos-TOTAL_FORMS");
  if (addPhoto && slots && total) {
    addPhoto.addEventListener("click", function (event) {
      var last = slots.querySelector("[data-photo-slot]:last-of-type");
      if (!last) {
        return;
      }
      event.preventDefault();
      var index = parseInt(total.value, 10);
      var slot = last.cloneNode(true);
      var renumber = function (value) {
        return value.replace(/photos-\d+-/g, "photos-" + index + "-");
      };
      slot.classList.remove("photo-slot--error");
      slot.querySelectorAll(".field__errors").forEach(function (node) {
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
      var file = slot.querySelector("input[type=file]");
      if (file) {
        file.focus();
      }
    });
  }
})();
