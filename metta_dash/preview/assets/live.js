// Live reload while `metta-dash watch` serves the preview: reload when the build version changes.
(function () {
  let seen = null;
  async function poll() {
    try {
      const answer = await fetch("version.json", { cache: "no-store" });
      const version = (await answer.json()).version;
      if (seen !== null && version !== seen) { location.reload(); return; }
      seen = version;
    } catch (error) { /* the server restarts or the build is being written: try again */ }
    setTimeout(poll, 500);
  }
  poll();
})();
