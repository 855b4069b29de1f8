// Clarion's embed: a partner pastes one tag,
//   <script src="https://clarion.example/embed.js" data-petition="slug"
//           data-partner="key" data-lang="fr" async></script>
// and the petition's sign form appears in an iframe right after it. The iframe is sized
// by its own messages, accepted only from Clarion's origin and from that iframe.
(function () {
  var me = document.currentScript;
  if (!me || !me.src) return;
  var base = new URL(me.src).origin;
  var slug = me.getAttribute("data-petition") || "";
  var partner = me.getAttribute("data-partner") || "";
  var lang = me.getAttribute("data-lang") || "";
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) return;
  var prefix = lang === "fr" || lang === "km" ? "/" + lang : "";
  var query = new URLSearchParams();
  if (partner) query.set("partner", partner);
  var here = new URLSearchParams(window.location.search);
  ["utm_source", "utm_medium", "utm_campaign"].forEach(function (name) {
    if (here.get(name)) query.set(name, here.get(name));
  });
  var frame = document.createElement("iframe");
  frame.src = base + prefix + "/embed/petitions/" + slug + (query.toString() ? "?" + query : "");
  frame.title = me.getAttribute("data-title") || "Petition";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = "640px";
  me.parentNode.insertBefore(frame, me.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== base || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.clarion !== "height" || typeof data.height !== "number") return;
    frame.style.height = Math.min(Math.max(Math.ceil(data.height), 200), 20000) + "px";
    // A new page in the frame (the answer after signing) starts at its top: show it.
    if (data.loaded === true && frame.getBoundingClientRect().top < 0) frame.scrollIntoView();
  });
})();
