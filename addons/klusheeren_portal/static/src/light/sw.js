/* The service worker of the QR pages (issue 21), served as /qr/sw.js: its scope is /qr/, the sticker
   pages only. A sticker's form, once loaded, opens again without a connection (network first, else
   the copy kept here); the light pages' stylesheet, scripts, logo and equipment photo, and the
   self-help articles' thumbnails, come from here and are refreshed in the background.
   Queued reports leave on Background Sync (queue.js). */
/* eslint-disable no-var */
/* global khQueue */
importScripts("/klusheeren_portal/static/src/light/queue.js");

var CACHE = "klusheeren-pages-1";
// the sticker pages, also in a language of the website's choice (/en/qr/<token>)
var FORM_RE = /^(\/[a-z]{2}(_[A-Za-z]{2,4})?)?\/qr\/[^/]+$/;
// the light pages' own assets; an addon that adds to the sticker's form keeps its static files under
// /<addon>/static/src/light/ (klusheeren_selfhelp's styles are inline), and the self-help articles'
// thumbnails (a signed /web/image URL of the article's small photo) are kept once shown
var ASSET_RE =
    /^\/(klusheeren_equipment|klusheeren_portal)\/static\/|^\/klusheeren_[a-z_]+\/static\/src\/light\/|^\/web\/image\/res\.company\/|^\/web\/image\/document\.page\/\d+\/klusheeren_photo_small\/|^(\/[a-z]{2}(_[A-Za-z]{2,4})?)?\/qr\/[^/]+\/photo$/;

self.addEventListener("install", function () {
    self.skipWaiting();
});

self.addEventListener("activate", function (event) {
    event.waitUntil(
        caches
            .keys()
            .then(function (keys) {
                return Promise.all(
                    keys
                        .filter(function (key) {
                            return key !== CACHE;
                        })
                        .map(function (key) {
                            return caches.delete(key);
                        })
                );
            })
            .then(function () {
                return self.clients.claim();
            })
    );
});

function keep(request, response) {
    if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
            cache.put(request, copy);
        });
    }
    return response;
}

self.addEventListener("fetch", function (event) {
    var request = event.request;
    var url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) {
        return;
    }
    if (request.mode === "navigate" && FORM_RE.test(url.pathname)) {
        event.respondWith(
            fetch(request).then(
                function (response) {
                    return keep(request, response);
                },
                function () {
                    return caches.match(request, {ignoreSearch: true}).then(function (cached) {
                        return cached || Response.error();
                    });
                }
            )
        );
    } else if (ASSET_RE.test(url.pathname)) {
        event.respondWith(
            caches.match(request).then(function (cached) {
                var fresh = fetch(request).then(function (response) {
                    return keep(request, response);
                });
                if (cached) {
                    fresh.catch(function () {
                        return null;
                    });
                    return cached;
                }
                return fresh;
            })
        );
    }
});

function tellPages() {
    return self.clients.matchAll({type: "window"}).then(function (pages) {
        pages.forEach(function (page) {
            page.postMessage("kh-reports-flushed");
        });
    });
}

self.addEventListener("sync", function (event) {
    if (event.tag === "kh-reports") {
        event.waitUntil(khQueue.flush().then(tellPages));
    }
});

self.addEventListener("message", function (event) {
    if (event.data === "kh-reports-flush") {
        event.waitUntil(khQueue.flush().then(tellPages));
    }
});
