// Search as you type for the action forms' student field. The field stays a plain
// text input (an email or an id works without this script); as staff type, up to
// ten matching students are fetched from the admin's JSON search and offered in
// the field's <datalist>. Picking one fills in the student's email (or id).
(function () {
  "use strict";
  var DELAY_MS = 200;
  var MIN_LENGTH = 2;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-student-search");
    var timer = null;
    var latest = 0;
    if (!list || !url) {
      return;
    }

    function show(results) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      results.forEach(function (student) {
        var option = document.createElement("option");
        option.value = student.value;
        option.textContent = student.name + (student.email ? " <" + student.email + ">" : "");
        list.appendChild(option);
      });
    }

    function search() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        show([]);
        return;
      }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (body) {
          // An answer to an older keystroke must not replace a newer one.
          if (ticket === latest) {
            show(body.results || []);
          }
        })
        .catch(function () {
          show([]);
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-student-search]").forEach(attach);
})();
