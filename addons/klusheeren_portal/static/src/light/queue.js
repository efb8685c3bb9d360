/* The offline queue of the QR report form (issue 21), shared by the page (report.js) and the service
   worker (sw.js): a report that cannot leave is kept in IndexedDB with every field of the form (its
   idempotency key included: a report sent twice is one ticket) and its photos, and sent when there is a
   connection; a report older than 7 days is dropped. The server checks a queued report as any other
   (CSRF, validation, upload policy, rate limit): a refused one is dropped with its reason. */
/* eslint-disable no-var */
self.khQueue = (function () {
    "use strict";
    var DB = "klusheeren-reports";
    var WEEK = 7 * 24 * 3600 * 1000;
    var CSRF_RE = /name="csrf_token"\s+value="([^"]+)"/;
    var NUMBER_RE = /o_klusheeren_ticket_number"[^>]*>([^<]+)</;
    var LINK_RE = /o_klusheeren_tracking_link"[^>]*href="([^"]+)"/;
    var ERROR_RE = /class="(?:invalid-feedback[^"]*|alert alert-(?:danger|warning)[^"]*)"[^>]*>([^<]+)</g;

    function open() {
        return new Promise(function (resolve, reject) {
            var req = indexedDB.open(DB, 1);
            req.onupgradeneeded = function () {
                req.result.createObjectStore("reports", {keyPath: "id", autoIncrement: true});
                req.result.createObjectStore("outcomes", {keyPath: "id", autoIncrement: true});
            };
            req.onsuccess = function () {
                resolve(req.result);
            };
            req.onerror = function () {
                reject(req.error);
            };
        });
    }

    function run(store, mode, fn) {
        return open().then(function (db) {
            return new Promise(function (resolve, reject) {
                var tx = db.transaction(store, mode);
                var result = fn(tx.objectStore(store));
                tx.oncomplete = function () {
                    db.close();
                    resolve(result && "result" in result ? result.result : result);
                };
                tx.onerror = tx.onabort = function () {
                    db.close();
                    reject(tx.error);
                };
            });
        });
    }

    function all(store) {
        return run(store, "readonly", function (s) {
            return s.getAll();
        });
    }

    function remove(store, id) {
        return run(store, "readwrite", function (s) {
            s.delete(id);
        });
    }

    function note(outcome) {
        return run("outcomes", "readwrite", function (s) {
            s.add(outcome);
        });
    }

    /** Keep a submission (url, FormData) on the phone; ask for a Background Sync where there is one. */
    function add(url, formData) {
        var entries = [];
        formData.forEach(function (value, key) {
            // a file field left empty: a browser posts nothing for it, neither does the queue
            if (!(value instanceof Blob && !value.size && !value.name)) {
                entries.push([key, value]);
            }
        });
        return run("reports", "readwrite", function (s) {
            s.add({url: url, entries: entries, created: Date.now()});
        }).then(function () {
            var sw = self.navigator.serviceWorker;
            var ready = self.registration ? Promise.resolve(self.registration) : sw && sw.ready;
            return ready && ready.then(function (reg) {
                return reg.sync && reg.sync.register("kh-reports");
            }).catch(function () {
                return null;
            });
        });
    }

    function errors(html) {
        var found = [];
        var m;
        ERROR_RE.lastIndex = 0;
        while ((m = ERROR_RE.exec(html))) {
            if (m[1].trim()) {
                found.push(m[1].trim());
            }
        }
        return found.join(" ");
    }

    function send(item) {
        // a fresh CSRF token: the one of the queued form may have expired since
        return fetch(item.url, {credentials: "same-origin", cache: "no-store"})
            .then(function (res) {
                return res.text();
            })
            .then(function (page) {
                var csrf = CSRF_RE.exec(page);
                var data = new FormData();
                item.entries.forEach(function (entry) {
                    var value = entry[0] === "csrf_token" && csrf ? csrf[1] : entry[1];
                    if (value instanceof Blob) {
                        data.append(entry[0], value, value.name);
                    } else {
                        data.append(entry[0], value);
                    }
                });
                return fetch(item.url, {method: "POST", body: data, credentials: "same-origin"});
            })
            .then(function (res) {
                return res.text().then(function (html) {
                    var number = NUMBER_RE.exec(html);
                    if (res.ok && res.redirected) {
                        var link = LINK_RE.exec(html);
                        return {
                            kind: "sent",
                            number: number ? number[1].trim() : "",
                            link: link ? link[1].replace(/&amp;/g, "&") : "",
                        };
                    }
                    if (res.status === 429 || res.status >= 500) {
                        return null; // not now: the next connection, visit or sync tries again
                    }
                    return {kind: "refused", reason: errors(html)};
                });
            });
    }

    /** Send what is queued (one sender at a time); the outcomes wait in IndexedDB for the page. */
    function flush() {
        var locks = self.navigator.locks;
        var job = function () {
            return all("reports").then(function (items) {
                return items.reduce(function (chain, item) {
                    return chain.then(function () {
                        if (Date.now() - item.created > WEEK) {
                            return remove("reports", item.id).then(function () {
                                return note({kind: "dropped", created: item.created});
                            });
                        }
                        return send(item).then(
                            function (outcome) {
                                if (!outcome) {
                                    return null;
                                }
                                outcome.created = item.created;
                                return remove("reports", item.id).then(function () {
                                    return note(outcome);
                                });
                            },
                            function () {
                                return null; // still no connection
                            }
                        );
                    });
                }, Promise.resolve());
            });
        };
        return locks ? locks.request("kh-reports", job) : job();
    }

    /** The outcomes not shown yet (removed once read) and the number of reports still waiting. */
    function outcomes() {
        return Promise.all([all("outcomes"), all("reports")]).then(function (found) {
            return Promise.all(
                found[0].map(function (o) {
                    return remove("outcomes", o.id);
                })
            ).then(function () {
                return {outcomes: found[0], waiting: found[1].length};
            });
        });
    }

    return {add: add, flush: flush, outcomes: outcomes};
})();
