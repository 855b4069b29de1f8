// Inside the embed's iframe: tells the page around it how tall the form is, so that
// /embed.js can size the iframe to it. Only a height, only to the parent window. The
// html element's box, not scrollHeight, which never drops below the iframe's own height.
(function () {
  if (window.parent === window) return;
  function send(loaded) {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({ clarion: "height", height: height, loaded: loaded }, "*");
  }
  window.addEventListener("load", function () { send(true); });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { send(false); }).observe(document.documentElement);
  }
})();
