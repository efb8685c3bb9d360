/* The QR report form's JavaScript (issue 21). The form works without it; this adds:
   - photos scaled in the browser to at most 1600 px on the long side (JPEG 80 %, orientation kept),
     with a preview; the server's upload policy stays the judge;
   - an idempotency key made in the browser for each form shown (a submission sent twice, by a double
     tap, a retry or the offline queue, is one ticket);
   - the offline queue (queue.js, sw.js): a report that cannot leave is kept on the phone and sent when
     there is a connection; the page says so, and shows the ticket number once it has left. */
/* eslint-disable no-var */
/* global khQueue */
(function () {
    "use strict";
    var form = document.querySelector("form.o_klusheeren_report_form");
    if (!form) {
        return;
    }
    var MAX_SIDE = 1600;
    var QUALITY = 0.8;
    var notice = document.getElementById("kh_queue_notice");
    var texts = {};
    document.querySelectorAll("#kh_offline_texts [data-text]").forEach(function (el) {
        texts[el.getAttribute("data-text")] = el.textContent.trim();
    });
    var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="file"][name="attachments"]'));
    var button = form.querySelector('button[type="submit"]');
    var pending = Promise.resolve();
    var urls = [];

    // -- the idempotency key: one per form shown ------------------------------------------------------
    var key = form.querySelector('input[name="idempotency_key"]');
    if (!key) {
        key = document.createElement("input");
        key.type = "hidden";
        key.name = "idempotency_key";
        form.appendChild(key);
    }
    function newKey() {
        if (self.crypto && crypto.randomUUID) {
            key.value = crypto.randomUUID();
        }
    }
    newKey();

    // -- photos: scaled down before they leave -------------------------------------------------------
    function shrink(file) {
        if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !self.createImageBitmap) {
            return Promise.resolve(file);
        }
        return createImageBitmap(file, {imageOrientation: "from-image"})
            .then(function (bitmap) {
                var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
                if (scale === 1 && file.size <= 1024 * 1024) {
                    return file; // small enough as it is
                }
                var canvas = document.createElement("canvas");
                canvas.width = Math.round(bitmap.width * scale);
                canvas.height = Math.round(bitmap.height * scale);
                var ctx = canvas.getContext("2d");
                ctx.fillStyle = "#fff"; // a transparent PNG becomes white, not black
                ctx.fillRect(0, 0, canvas.width, canvas.height);
                ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
                return new Promise(function (resolve) {
                    canvas.toBlob(
                        function (blob) {
                            if (!blob || blob.size >= file.size) {
                                resolve(file);
                                return;
                            }
                            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
                            resolve(new File([blob], name, {type: "image/jpeg", lastModified: Date.now()}));
                        },
                        "image/jpeg",
                        QUALITY
                    );
                });
            })
            .catch(function () {
                return file;
            });
    }

    var previews = document.createElement("div");
    previews.className = "kh-previews";
    if (inputs.length) {
        inputs[inputs.length - 1].insertAdjacentElement("afterend", previews);
    }
    function preview() {
        urls.forEach(URL.revokeObjectURL);
        urls = [];
        previews.textContent = "";
        inputs.forEach(function (input) {
            Array.prototype.forEach.call(input.files || [], function (file) {
                if (/^image\//.test(file.type)) {
                    var img = document.createElement("img");
                    var url = URL.createObjectURL(file);
                    urls.push(url);
                    img.src = url;
                    img.alt = file.name;
                    img.width = 72;
                    img.height = 72;
                    previews.appendChild(img);
                } else {
                    var span = document.createElement("span");
                    span.className = "small";
                    span.textContent = file.name;
                    previews.appendChild(span);
                }
            });
        });
    }
    inputs.forEach(function (input) {
        input.addEventListener("change", function () {
            var files = Array.prototype.slice.call(input.files || []);
            if (!files.length || !self.DataTransfer) {
                preview();
                return;
            }
            pending = Promise.all(files.map(shrink)).then(function (shrunk) {
                var transfer = new DataTransfer();
                shrunk.forEach(function (file) {
                    transfer.items.add(file);
                });
                input.files = transfer.files;
                preview();
            });
        });
    });

    // -- what the queue did ---------------------------------------------------------------------------
    function say(text, link) {
        var p = document.createElement("p");
        p.className = "mb-1";
        p.textContent = text;
        if (link) {
            p.appendChild(document.createTextNode(" "));
            var a = document.createElement("a");
            a.href = link;
            a.textContent = texts.follow || link;
            p.appendChild(a);
        }
        notice.appendChild(p);
        notice.hidden = false;
    }
    function showOutcomes() {
        if (!self.khQueue || !notice) {
            return Promise.resolve();
        }
        return khQueue.outcomes().then(function (found) {
            var waiting = notice.querySelector(".kh-waiting");
            if (waiting) {
                waiting.remove();
            }
            found.outcomes.forEach(function (o) {
                if (o.kind === "sent") {
                    say((texts.sent || "%s").replace("%s", o.number), o.link);
                } else if (o.kind === "dropped") {
                    say(texts.dropped);
                } else {
                    say((texts.refused || "%s").replace("%s", o.reason || ""));
                }
            });
            if (found.waiting) {
                say(texts.waiting);
                notice.lastChild.className += " kh-waiting";
            }
        });
    }
    function flush() {
        if (!self.khQueue || !self.indexedDB) {
            return;
        }
        khQueue
            .flush()
            .catch(function () {
                return null;
            })
            .then(showOutcomes);
    }

    // -- sending: straight away, else kept on the phone -----------------------------------------------
    function queue(data) {
        return khQueue.add(form.action, data).then(function () {
            form.reset();
            preview();
            newKey();
            notice.textContent = "";
            say(texts.saved);
            notice.scrollIntoView({block: "center"});
            button.disabled = false;
        });
    }
    var sw = navigator.serviceWorker;
    form.addEventListener("submit", function (event) {
        event.preventDefault();
        button.disabled = true;
        pending.then(function () {
            var data = new FormData(form);
            if (!self.khQueue || !self.indexedDB || !sw || !sw.controller) {
                form.submit(); // no offline queue here: the plain form post
                return;
            }
            if (navigator.onLine === false) {
                queue(data).catch(function () {
                    form.submit();
                });
                return;
            }
            fetch(form.action, {method: "POST", body: data, credentials: "same-origin"}).then(
                function (response) {
                    if (response.redirected) {
                        location.assign(response.url);
                        return;
                    }
                    response.text().then(function (html) {
                        document.open();
                        document.write(html);
                        document.close();
                    });
                },
                function () {
                    queue(data).catch(function () {
                        form.submit();
                    });
                }
            );
        });
    });

    if (sw) {
        // a visitor who chose another language reads the form at /<lang>/qr/<token>: the worker
        // (one script, Service-Worker-Allowed) is registered for the sticker pages of that language too
        var scope = location.pathname.replace(/\/qr\/.*$/, "") + "/qr/";
        sw.register("/qr/sw.js", {scope: scope}).catch(function () {
            return null;
        });
        sw.addEventListener("message", function (event) {
            if (event.data === "kh-reports-flushed") {
                showOutcomes();
            }
        });
    }
    self.addEventListener("online", flush);
    flush();
})();
