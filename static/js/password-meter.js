// Password strength meter for new-password fields (input[data-password-meter]): as the person
// types it shows the length rule and whether the password is on the list of common passwords,
// in a polite live region, with a <meter> beside it. The server stays the authority
// (webapp/accounts/passwords.py: the same rules, the same list, read from the same file); without
// this script the form works as before and the server's answer comes after sending it.
// Nothing typed leaves the browser: the list is fetched whole, once, from this site's static files.
(function () {
  "use strict";

  var lists = {};

  function commonPasswords(url) {
    if (!lists[url]) {
      lists[url] = fetch(url, { credentials: "omit" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("no list");
          }
          return response.text();
        })
        .then(function (text) {
          var words = new Set();
          text.split("\n").forEach(function (line) {
            var word = line.trim();
            if (word && word.charAt(0) !== "#") {
              words.add(word.toLowerCase());
            }
          });
          return words;
        });
    }
    return lists[url];
  }

  // Python's len(): code points, not UTF-16 units.
  function length(text) {
    return Array.from(text).length;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  // The server's rules (passwords.password_problem), in its order, then a level for the meter.
  function assess(password, rules, common) {
    var count = length(password);
    if (count === 0) {
      return { level: 0, text: "At least " + rules.min + " characters." };
    }
    if (count < rules.min) {
      return { level: 0, text: plural(count, "character") + " of at least " + rules.min + "." };
    }
    if (count > rules.max) {
      return { level: 0, text: "Too long: at most " + rules.max + " characters." };
    }
    var folded = password.trim().toLowerCase();
    var email = rules.email();
    if (email && folded === email) {
      return { level: 0, text: "This is your email address: please choose something else." };
    }
    var localPart = email.split("@")[0];
    if (localPart.length >= 3 && folded.indexOf(localPart) !== -1) {
      return { level: 1, text: "This contains the first part of your email address, which is easy to guess." };
    }
    if (common === "pending") {
      return { level: 1, text: "Long enough. Checking it against the common passwords…" };
    }
    if (common === "unavailable") {
      return { level: 2, text: "Long enough. Whether it is a common password is checked when you send the form." };
    }
    if (common.has(folded) || common.has(folded.replace(/ /g, ""))) {
      return { level: 0, text: "This is one of the most common passwords, so it is easy to guess. Please choose another." };
    }
    if (count >= rules.min + 8) {
      return { level: 4, text: "Very good: long, and not a common password." };
    }
    if (count >= rules.min + 4) {
      return { level: 3, text: "Good: long enough, and not a common password. Longer is stronger still." };
    }
    return { level: 2, text: "Long enough, and not a common password. A few more words make it stronger." };
  }

  function attach(input) {
    var url = input.getAttribute("data-password-meter");
    var form = input.form;
    var emailInput = form ? form.querySelector("input[type=email]") : null;
    var rules = {
      min: parseInt(input.getAttribute("minlength"), 10) || 12,
      max: parseInt(input.getAttribute("maxlength"), 10) || 256,
      email: function () {
        var value = emailInput ? emailInput.value : input.getAttribute("data-email") || "";
        return value.trim().toLowerCase();
      },
    };

    var box = document.createElement("div");
    box.className = "password-meter";
    var meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 4;
    meter.low = 2;
    meter.high = 3;
    meter.optimum = 4;
    meter.value = 0;
    meter.setAttribute("aria-hidden", "true"); // the words below say the same
    var status = document.createElement("p");
    status.className = "hint password-meter-text";
    status.id = input.id + "-meter";
    status.setAttribute("aria-live", "polite");
    box.appendChild(meter);
    box.appendChild(status);
    input.insertAdjacentElement("afterend", box);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);

    var common = "pending";
    var requested = false;

    function update() {
      var result = assess(input.value, rules, common);
      meter.value = result.level;
      // Only a change of message is announced, not every key.
      if (status.textContent !== result.text) {
        status.textContent = result.text;
      }
    }

    function load() {
      if (requested) {
        return;
      }
      requested = true;
      commonPasswords(url).then(
        function (words) {
          common = words;
          update();
        },
        function () {
          common = "unavailable";
          update();
        }
      );
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      load();
      update();
    });
    if (emailInput) {
      emailInput.addEventListener("input", update);
    }
    update();
  }

  if (!window.fetch || !window.Set || !Array.from) {
    return;
  }
  document.querySelectorAll("input[data-password-meter]").forEach(attach);
})();
