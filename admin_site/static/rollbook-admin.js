// Sends the page's CSRF token with every state-changing same-origin request:
// a header on fetch and XMLHttpRequest (SQLAdmin's delete is a jQuery DELETE with
// no body) and a hidden field on every POST form. Also shows SQLAdmin's flash
// toasts, whose own inline script the Content-Security-Policy does not allow.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  var SAFE = /^(GET|HEAD|OPTIONS|TRACE)$/i;

  function sameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.rollbookNeedsToken = !SAFE.test(method) && sameOrigin(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.rollbookNeedsToken) {
      this.setRequestHeader("X-CSRF-Token", token);
    }
    return send.apply(this, arguments);
  };

  if (window.fetch) {
    var originalFetch = window.fetch;
    window.fetch = function (input, init) {
      var isRequest = typeof Request !== "undefined" && input instanceof Request;
      var options = Object.assign({}, init || {});
      var method = options.method || (isRequest ? input.method : "GET");
      var url = isRequest ? input.url : String(input);
      if (!SAFE.test(method) && sameOrigin(url)) {
        var headers = new Headers(options.headers || (isRequest ? input.headers : undefined));
        headers.set("X-CSRF-Token", token);
        options.headers = headers;
      }
      return originalFetch.call(this, input, options);
    };
  }

  function addTokenField(form) {
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (method !== "post" || !sameOrigin(form.action) || form.querySelector('input[name="csrf_token"]')) {
      return;
    }
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "csrf_token";
    field.value = token;
    form.appendChild(field);
  }

  document.addEventListener("submit", function (event) {
    if (event.target instanceof HTMLFormElement) {
      addTokenField(event.target);
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(addTokenField);
    if (window.tabler && window.tabler.bootstrap) {
      document.querySelectorAll(".toast.admin-toast").forEach(function (element) {
        new window.tabler.bootstrap.Toast(element, { delay: 3000 }).show();
      });
    }
    // SQLAdmin's search-clearing button shows only an icon: give it words to be read.
    var reset = document.getElementById("search-reset");
    if (reset && !reset.hasAttribute("aria-label")) {
      reset.setAttribute("aria-label", "Clear the search");
      reset.setAttribute("title", "Clear the search");
    }
  });
})();
