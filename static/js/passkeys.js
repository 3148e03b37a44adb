// Passkeys: adding one in the settings and signing in with one. Both controls are hidden in
// the page and shown only here, in browsers that can make passkeys; without this script (or
// such a browser) the password form and the other settings work as ever.
(function () {
  "use strict";
  var PKC = window.PublicKeyCredential;
  if (!PKC || !PKC.parseCreationOptionsFromJSON || !PKC.parseRequestOptionsFromJSON || !navigator.credentials) {
    return;
  }
  var GENERIC = "Something went wrong. Please try again, or sign in with your password.";

  function csrfToken() {
    var input = document.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function show(element, message) {
    element.textContent = message;
    element.hidden = false;
  }

  function explain(error) {
    // The browser's own errors: the person cancelled, or the authenticator timed out.
    if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
      return "Nothing was done: the passkey request was cancelled or took too long.";
    }
    if (error && error.name === "InvalidStateError") {
      return "This device already holds a passkey for your account.";
    }
    return (error && error.fromServer) ? error.message : GENERIC;
  }

  function jsonOrError(response) {
    var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
    if (!isJson) {
      throw new Error(GENERIC);
    }
    return response.json().then(function (body) {
      if (!response.ok) {
        var error = new Error(body.error || GENERIC);
        error.fromServer = true;
        throw error;
      }
      return body;
    });
  }

  function postJson(url, value) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(value),
    });
  }

  var adding = document.getElementById("add-passkey");
  if (adding) {
    var addError = adding.querySelector(".passkey-error");
    var needs = document.getElementById("passkeys-need-script");
    if (needs) {
      needs.hidden = true;
    }
    adding.hidden = false;
    adding.addEventListener("submit", function (event) {
      event.preventDefault();
      addError.hidden = true;
      fetch(adding.action, { method: "POST", credentials: "same-origin", body: new FormData(adding) })
        .then(jsonOrError)
        .then(function (options) {
          return navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(options) });
        })
        .then(function (credential) { return postJson(adding.getAttribute("data-finish"), credential.toJSON()); })
        .then(jsonOrError)
        .then(function (body) { window.location.assign(body.next); })
        .catch(function (error) { show(addError, explain(error)); });
    });
  }

  var signIn = document.getElementById("passkey-sign-in");
  if (signIn) {
    var signInError = signIn.querySelector(".passkey-error");
    signIn.hidden = false;
    signIn.querySelector("button").addEventListener("click", function () {
      signInError.hidden = true;
      var form = new FormData();
      form.append("csrf_token", csrfToken());
      fetch(signIn.getAttribute("data-options"), { method: "POST", credentials: "same-origin", body: form })
        .then(jsonOrError)
        .then(function (options) {
          return navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(options) });
        })
        .then(function (credential) { return postJson(signIn.getAttribute("data-finish"), credential.toJSON()); })
        .then(function (response) {
          // Signed in: the answer redirected to where the person was going.
          if (response.ok && response.redirected) {
            window.location.assign(response.url);
            return null;
          }
          return jsonOrError(response).then(function () { throw new Error(GENERIC); });
        })
        .catch(function (error) { show(signInError, explain(error)); });
    });
  }
})();
