/* Seedling's only script, and an optional one: the browser's time zone (IANA name).
   - On the registration form it fills the hidden time_zone field, so "today" in the new journal
     is the person's own date from the start.
   - Where a page offers it ([data-time-zone-offer], hidden until now), it shows the offer when
     the browser's zone differs from the account's.
   Without JavaScript, the zone is chosen from the list in Settings. */
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("input[data-device-time-zone]").forEach(function (input) {
    if (!input.value) {
      input.value = zone;
    }
  });
  document.querySelectorAll("[data-time-zone-offer]").forEach(function (offer) {
    if (offer.getAttribute("data-account-zone") === zone) {
      return;
    }
    offer.querySelectorAll("[data-device-zone-name]").forEach(function (name) {
      name.textContent = zone.replace(/_/g, " ");
    });
    offer.querySelectorAll("input[name=time_zone]").forEach(function (input) {
      input.value = zone;
    });
    offer.hidden = false;
  });
})();
