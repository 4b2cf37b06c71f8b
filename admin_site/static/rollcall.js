// Roll call: each tap saves with fetch, so the page never reloads and keeps its scroll.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
  var root = document.getElementById("rollcall");
  if (!root) {
    return;
  }
  var statusLine = document.getElementById("rollcall-status");

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) {
      return meta.content;
    }
    var field = root.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRF-Token": csrfToken()
      },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (!response.ok) {
          throw new Error(data.error || "Not saved (error " + response.status + "). Try again.");
        }
        return data;
      });
    });
  }

  function showRow(row, status) {
    row.setAttribute("data-status", status || "");
    row.querySelectorAll('button[name="status"]').forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
  }

  function showCounts(counts) {
    Object.keys(counts || {}).forEach(function (key) {
      var cell = root.querySelector('[data-count="' + key + '"]');
      if (cell) {
        cell.textContent = String(counts[key]);
      }
    });
  }

  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("rollcall-error", Boolean(isError));
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest('button[name="status"]');
    if (!button) {
      return;
    }
    event.preventDefault();
    var row = button.closest("[data-registration]");
    var before = row.getAttribute("data-status") || "";
    // A second tap on the chosen status clears the mark.
    var status = button.getAttribute("aria-pressed") === "true" ? "" : button.value;
    var name = row.querySelector(".rollcall-name").textContent;
    showRow(row, status);
    row.classList.add("is-saving");
    post(root.getAttribute("data-mark-url"), {
      registration_id: Number(row.getAttribute("data-registration")),
      status: status
    }).then(function (data) {
      showRow(row, data.status || "");
      showCounts(data.counts);
      say(name + ": " + (data.status || "unmarked") + " (saved)", false);
    }).catch(function (error) {
      showRow(row, before);
      say(name + ": " + error.message, true);
    }).then(function () {
      row.classList.remove("is-saving");
    });
  });

  var allForm = root.querySelector("[data-rollcall-all]");
  if (allForm) {
    allForm.addEventListener("submit", function (event) {
      event.preventDefault();
      post(root.getAttribute("data-all-url"), {}).then(function (data) {
        Object.keys(data.statuses || {}).forEach(function (id) {
          var row = document.getElementById("student-" + id);
          if (row) {
            showRow(row, data.statuses[id] || "");
          }
        });
        showCounts(data.counts);
        say("Marked " + data.changed + " present (saved)", false);
      }).catch(function (error) {
        say(error.message, true);
      });
    });
  }
}());
