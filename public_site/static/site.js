// Progressive enhancements for the public site; every page works without them.
(function () {
  "use strict";

  // A double-clicked submit sends one request (the server is idempotent anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent === "yes") { event.preventDefault(); return; }
    form.dataset.sent = "yes";
  });

  // School search as you type: a few matches from the server, never the whole list.
  var input = document.getElementById("school_name");
  var hidden = document.getElementById("school_id");
  var options = document.getElementById("school-options");
  if (input && hidden && options) {
    var found = [];
    var timer = null;
    var pick = function () {
      hidden.value = "";
      found.forEach(function (school) {
        if (school.name === input.value) { hidden.value = String(school.id); }
      });
    };
    input.addEventListener("input", function () {
      pick();
      clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.search + "?q=" + encodeURIComponent(query), {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (schools) {
            found = schools;
            options.replaceChildren();
            schools.forEach(function (school) {
              var option = document.createElement("option");
              option.value = school.name;
              option.label = school.location ? school.name + " (" + school.location + ")" : school.name;
              options.appendChild(option);
            });
            pick();
          });
      }, 150);
    });
    input.addEventListener("change", pick);
  }

  // "Add another participant" adds a row in place (without JavaScript the server adds it).
  var add = document.getElementById("add-participant");
  var list = document.getElementById("participants");
  if (add && list) {
    add.addEventListener("click", function (event) {
      var rows = list.querySelectorAll("li.participant");
      var max = parseInt(list.dataset.max || "30", 10);
      event.preventDefault();
      if (rows.length >= max) { return; }
      var index = rows.length;
      var row = rows[rows.length - 1].cloneNode(true);
      row.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
      row.querySelectorAll("[id], [for], [name], [aria-describedby]").forEach(function (node) {
        ["id", "for", "name", "aria-describedby"].forEach(function (attribute) {
          var value = node.getAttribute(attribute);
          if (value) { node.setAttribute(attribute, value.replace(/participants-\d+-/g, "participants-" + index + "-")); }
        });
        if (node.tagName === "INPUT") {
          node.value = "";
          node.classList.remove("is-invalid");
          node.removeAttribute("aria-invalid");
          node.removeAttribute("aria-describedby");
        }
      });
      list.appendChild(row);
      row.querySelector("input").focus();
    });
  }
})();

// ---- Booking form: the amount due follows the chosen class (issue 13 point 1: fixes) ----
// Without JavaScript, site.css shows the amount of the choice made (and, for a drop-in,
// the price before a class is chosen); the server computes it again on booking.
(function () {
  "use strict";
  var box = document.getElementById("amount-due");
  if (!box) { return; }
  var form = box.closest("form");
  var lines = Array.prototype.slice.call(box.querySelectorAll(".amount-due-line"));
  var show = function () {
    var chosen = form.querySelector('input[name="pricing_type"]:checked') ||
      form.querySelector('input[type="hidden"][name="pricing_type"]');
    var pricing = chosen ? chosen.value : "";
    var select = form.querySelector('select[name="drop_in_session"]');
    var session = pricing === "drop_in" && select ? select.value : "";
    var current = lines.filter(function (line) {
      return line.dataset.pricing === pricing && line.dataset.session === session;
    })[0] || lines.filter(function (line) {
      return line.dataset.pricing === pricing && line.dataset.session === "";
    })[0];
    lines.forEach(function (line) { line.classList.toggle("is-current", line === current); });
  };
  box.dataset.live = "yes";
  form.addEventListener("change", show);
  show();
})();

// ---- Calendar feed: "Copy link" copies the private feed's address (issue 15 point 3: ics) ----
// Without JavaScript (or clipboard access) the address stays in a read-only box to select.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    var label = button.textContent;
    button.addEventListener("click", function () {
      field.select();
      var done = function () {
        button.textContent = button.dataset.copied || label;
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
      }
    });
  });
})();
