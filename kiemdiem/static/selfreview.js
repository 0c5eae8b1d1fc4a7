/* The self-review form: a local backup so that nothing typed is lost.
 *
 * Every input writes the form's values to localStorage, with the values the server is known to
 * hold. On load, every field typed here that never reached the server is restored ("Đã khôi phục
 * nội dung chưa lưu") and autosaved. When the autosave does not reach the
 * server (the session expired: a redirect to the login page or 403; the connection dropped), the
 * local copy stays and the page says so. Submitted reviews clear their local copy.
 * No build step, no dependency but htmx (vendored).
 */
(function () {
  "use strict";

  var MSG = {
    restored: "Đã khôi phục nội dung chưa lưu từ trình duyệt này.",
    expired: "Phiên đăng nhập đã hết hạn. Nội dung vẫn được giữ trong trình duyệt này — hãy đăng nhập lại (mở trang đăng nhập ở thẻ mới), rồi quay lại trang này.",
    offline: "Mất kết nối tới máy chủ. Nội dung vẫn được giữ trong trình duyệt này và sẽ được lưu khi có kết nối.",
    failed: "Chưa lưu được lên máy chủ. Nội dung vẫn được giữ trong trình duyệt này.",
    conflict: "Bản tự kiểm điểm đã được lưu ở nơi khác. Hãy tải lại trang; nội dung vừa gõ vẫn được giữ trong trình duyệt."
  };

  function init() {
    var locked = document.querySelector("form[data-selfreview-locked]");
    if (locked) {
      try { localStorage.removeItem(locked.dataset.storageKey); } catch (e) { /* private mode */ }
      return;
    }
    var form = document.querySelector("form[data-selfreview]");
    if (!form) return;
    var key = form.dataset.storageKey;
    var notice = document.getElementById("sr-local-status");
    var sentValues = null;

    function show(text, bad) {
      notice.textContent = text;
      notice.hidden = false;
      notice.classList.toggle("bad", !!bad);
    }
    function hide() { notice.hidden = true; }
    function serverVersion() {
      return parseInt(document.getElementById("sr-version").value || "0", 10);
    }
    function collect() {
      var out = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit" || el.readOnly) return;
        out[el.name] = el.value;
      });
      return out;
    }
    function read() {
      try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }
    // `base`: the values the server is known to hold (at load, or as sent by the last
    // successful save); a field whose local value differs from its base was typed here since.
    var base = null;
    function write(dirty) {
      try {
        localStorage.setItem(key, JSON.stringify({
          version: serverVersion(), dirty: dirty, at: Date.now(), values: collect(), base: base
        }));
      } catch (e) { /* storage full or disabled: the server copy still works */ }
    }

    // Restore what was typed here and never reached the server. Field by field against the
    // base, not by version: a save still in flight when the page was left may have given the
    // server a newer version that lacks the last keystrokes.
    var local = read();
    var restored = null;
    base = collect();
    if (local && local.dirty && local.values && local.base) {
      Object.keys(local.values).forEach(function (name) {
        var el = form.elements.namedItem(name);
        var mine = local.values[name];
        if (el && !el.readOnly && mine !== local.base[name] && el.value !== mine) {
          el.value = mine;
          restored = restored || el;
        }
      });
    }
    form.addEventListener("input", function () { write(true); });
    if (restored) {
      // The server does not hold the restored values yet.
      show(MSG.restored);
      restored.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      write(false);
    }

    // Requests are told apart by their path: htmx's event details do not all carry the element.
    function pathOf(evt) {
      var d = evt.detail || {};
      return (d.requestConfig && d.requestConfig.path) || d.path ||
        (d.pathInfo && d.pathInfo.requestPath) || "";
    }
    function isSave(evt) { return pathOf(evt) === form.dataset.saveUrl; }
    function isOurs(evt) {
      var path = pathOf(evt);
      return path === form.dataset.saveUrl || path === form.dataset.previewUrl;
    }

    document.body.addEventListener("htmx:configRequest", function (evt) {
      if (isSave(evt)) sentValues = JSON.stringify(collect());
    });

    document.body.addEventListener("htmx:beforeSwap", function (evt) {
      if (!isOurs(evt)) return;
      var xhr = evt.detail.xhr;
      var marker = xhr.getResponseHeader("X-Selfreview");
      if (marker === "conflict") {
        evt.detail.shouldSwap = true;
        evt.detail.isError = false;
        show(MSG.conflict, true);
        return;
      }
      if (!marker) {
        // A login page after a redirect, a 403, or a server error: never swap it into the form.
        evt.detail.shouldSwap = false;
        evt.detail.isError = false;
        var loginUrl = form.dataset.loginUrl || "/dang-nhap/";
        var expired = xhr.status === 401 || xhr.status === 403 ||
          (xhr.responseURL && xhr.responseURL.indexOf(loginUrl) !== -1);
        write(true);
        show(expired ? MSG.expired : MSG.failed, true);
      }
    });

    document.body.addEventListener("htmx:afterRequest", function (evt) {
      if (!isSave(evt)) return;
      var xhr = evt.detail.xhr;
      if (xhr && xhr.getResponseHeader("X-Selfreview") === "saved") {
        var version = xhr.getResponseHeader("X-Selfreview-Version");
        if (version) document.getElementById("sr-version").value = version;
        // Typed again while the save was in flight: still dirty against the new base.
        base = JSON.parse(sentValues);
        write(JSON.stringify(collect()) !== sentValues);
        if (!notice.classList.contains("bad") || notice.textContent !== MSG.conflict) hide();
      }
    });

    function offline(evt) {
      if (!isOurs(evt)) return;
      write(true);
      show(MSG.offline, true);
    }
    document.body.addEventListener("htmx:sendError", offline);
    document.body.addEventListener("htmx:timeout", offline);
    window.addEventListener("online", function () {
      document.body.dispatchEvent(new Event("sr:flush"));
    });
    form.dataset.ready = "1";  // for the browser test: htmx and the backup are listening
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setTimeout(init, 0); });
  } else {
    setTimeout(init, 0);
  }
})();

// An irreversible step (submitting locks the review) asks first; the question is in the button.
document.addEventListener(
  "click",
  (event) => {
    const button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
