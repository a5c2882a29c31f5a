// townhall's VOD embed script: every <div class="townhall-vod-embed" data-channel-id data-domain>
// on the page becomes the channel's player (an iframe of {domain}/vod/{channel id}/embed).
(function () {
  function embed() {
    document.querySelectorAll("div.townhall-vod-embed[data-channel-id]").forEach(function (box) {
      if (box.querySelector("iframe")) return;
      var frame = document.createElement("iframe");
      frame.src = (box.dataset.domain || "") + "/vod/" + encodeURIComponent(box.dataset.channelId) + "/embed";
      frame.title = "Video channel";
      frame.allow = "fullscreen";
      frame.style.cssText = "width:100%;height:100%;min-height:360px;border:0;";
      box.appendChild(frame);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", embed); else embed();
})();
