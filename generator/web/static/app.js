// Account plan check: drag and drop, a progress indicator, and the answer shown in place.
// The page works without this file: the form posts to /check and the server renders the results page.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) return;

  var input = document.getElementById("file");
  var zone = document.getElementById("drop-zone");
  var chosen = document.getElementById("chosen");
  var progress = document.getElementById("progress");
  var progressText = document.getElementById("progress-text");
  var button = document.getElementById("submit");
  var dropped = null;     // a file dropped on the page (sent instead of the input's)
  var busy = false;
  var timer = null;

  function fileName() {
    if (dropped) return dropped.name;
    return input.files && input.files.length ? input.files[0].name : "";
  }

  function showChosen() {       // the input shows a chosen file's name itself; a dropped one is said here
    chosen.textContent = dropped ? "Selected: " + dropped.name : "";
  }

  function setBusy(on) {
    busy = on;
    button.disabled = on;
    form.setAttribute("aria-busy", on ? "true" : "false");
    progress.hidden = !on;
    if (timer) { clearInterval(timer); timer = null; }
    if (on) {
      var started = Date.now();
      var base = "Checking " + fileName() + " and building the deck, the document and the checked workbook…";
      progressText.textContent = base;
      timer = setInterval(function () {
        progressText.textContent = base + " " + Math.round((Date.now() - started) / 1000) + " s";
      }, 1000);
    }
  }

  function showResults(fresh) {
    var results = document.getElementById("results");
    results.replaceWith(fresh);
    var heading = document.getElementById("results-title");
    if (heading) heading.focus();
  }

  function showError(text) {
    var section = document.createElement("section");
    section.id = "results";
    section.className = "results bare";
    var box = document.createElement("div");
    box.className = "notice error";
    box.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.id = "results-title";
    heading.tabIndex = -1;
    heading.textContent = "Not checked";
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(heading);
    box.appendChild(p);
    section.appendChild(box);
    showResults(section);
  }

  function send() {
    if (busy) return;
    if (!fileName()) {
      chosen.textContent = "Choose a workbook (.xlsx) first.";
      input.focus();
      return;
    }
    var file = dropped || input.files[0];
    var limit = Number(form.getAttribute("data-max-bytes"));
    if (limit && file.size > limit) {       // the server would refuse it (413): say so before sending it
      showError(file.name + " is over " + form.getAttribute("data-max-text") + ", the most this server takes; " +
                "a plan workbook is usually well under 1 MB: send the .xlsx itself.");
      return;
    }
    var data = new FormData(form);
    if (dropped) data.set("file", dropped, dropped.name);
    setBusy(true);
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "text/html", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("results");
        if (fresh && fresh.children.length) {
          showResults(document.importNode(fresh, true));
        } else if (page.querySelector("form.signin")) {
          window.location.reload();
        } else {
          showError("The server answered " + response.status + " " + response.statusText + "; try again.");
        }
      });
    }).catch(function () {
      showError("The server could not be reached; check your connection and try again.");
    }).then(function () {
      setBusy(false);
    });
  }

  input.addEventListener("change", function () { dropped = null; showChosen(); });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send();
  });

  // The whole page takes a dropped file; the drop zone shows where.
  function hasFiles(event) {
    var types = event.dataTransfer && event.dataTransfer.types;
    return types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }
  document.addEventListener("dragover", function (event) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("over");
  });
  document.addEventListener("dragleave", function (event) {
    if (event.target === document.documentElement || !event.relatedTarget) zone.classList.remove("over");
  });
  document.addEventListener("drop", function (event) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    zone.classList.remove("over");
    var files = event.dataTransfer.files;
    if (!files || !files.length) return;
    dropped = files[0];
    try {                       // hand the file to the input, so it shows its name like a chosen one
      var transfer = new DataTransfer();
      transfer.items.add(dropped);
      input.files = transfer.files;
      dropped = null;
    } catch (ignored) {         // an older browser: send the dropped file itself
      try { input.value = ""; } catch (alsoIgnored) { /* keep it */ }
    }
    showChosen();
    send();
  });
})();
