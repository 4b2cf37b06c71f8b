// A list's filter form (templates/sqladmin/filters/base_filter.html) sends only the filters
// that are set: "All" and empty dates stay out of the address, which stays short and reads
// the same as a link to the filtered list. Without this script the form still works.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "list-filters") {
      return;
    }
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (typeof value === "string" && value !== "") {
        params.append(key, value);
      }
    });
    event.preventDefault();
    var query = params.toString();
    window.location.assign(form.getAttribute("action") + (query ? "?" + query : ""));
  });
})();
