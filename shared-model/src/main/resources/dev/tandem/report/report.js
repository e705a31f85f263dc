(function () {
  "use strict";
  // Draws Tandem's campaign report from the JSON embedded in the page. Every number drawn is also text in the DOM,
  // with data-* attributes naming what it counts; hovering a mark shows its details (an SVG title).
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("tandem-data").textContent);
  var root = document.getElementById("report");
  var INK = "#1f2937", MUTED = "#6b7280";
  var COLOR = { email: "#2563eb", sms: "#059669", any: MUTED, deferred: "#d97706", skipped: "#dc2626",
    "email.sent": "#2563eb", "sms.sent": "#059669", engagement: "#7c3aed", conversion: "#db2777", event: "#7c3aed",
    auto: MUTED, sent: INK };
  var CHANNEL = { email: "Email", sms: "SMS", any: "Either channel" };
  var STAGE = { sent: "sent", delivered: "delivered", opened: "opened by people", clicked: "clicked", replied: "replied" };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

  function html(tag, attrs, parent, text) {
    var e = document.createElement(tag);
    set(e, attrs);
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function svg(tag, attrs, parent, text) {
    var e = document.createElementNS(NS, tag);
    set(e, attrs);
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function set(e, attrs) {
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
  }
  function tip(node, text) { svg("title", {}, node, text); }
  function pct(part, whole) { return whole > 0 ? Math.round(100 * part / whole) + "%" : "-"; }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // --- funnels -------------------------------------------------------------------------------------------------
  function funnel(parent, campaign, step, f, width) {
    var rowH = 26, labelW = 120, barW = width - labelW - 90;
    var box = html("div", { "class": "funnel" }, parent);
    html("h4", {}, box, CHANNEL[f.channel]);
    var s = svg("svg", { width: width, height: f.stages.length * rowH + 4, role: "img",
      "aria-label": CHANNEL[f.channel] + " funnel" }, box);
    var top = f.stages[0].value;
    f.stages.forEach(function (st, i) {
      var keys = { "data-campaign": campaign, "data-step": step, "data-channel": f.channel, "data-stage": st.name };
      var g = svg("g", Object.assign({ "class": "stage", "data-value": st.value }, keys), s);
      var y = i * rowH;
      svg("text", { x: 0, y: y + 17 }, g, STAGE[st.name]);
      svg("rect", { x: labelW, y: y + 4, width: barW, height: rowH - 8, fill: "#f3f4f6", rx: 3 }, g);
      var w = top > 0 ? Math.max(st.value > 0 ? 2 : 0, barW * st.value / top) : 0;
      svg("rect", { x: labelW, y: y + 4, width: w, height: rowH - 8, fill: COLOR[f.channel], rx: 3, opacity: 1 - i * 0.15 }, g);
      svg("text", Object.assign({ "class": "value", x: labelW + barW + 8, y: y + 17 }, keys), g, String(st.value));
      svg("text", { "class": "muted", x: labelW + barW + 50, y: y + 17 }, g, i === 0 ? "" : pct(st.value, top));
      var prev = i > 0 ? f.stages[i - 1] : null;
      tip(g, CHANNEL[f.channel] + " " + STAGE[st.name] + ": " + st.value
        + (prev ? " (" + pct(st.value, prev.value) + " of " + STAGE[prev.name] + ", " + pct(st.value, top) + " of sent)" : ""));
    });
  }

  // --- deferrals and skips by reason -----------------------------------------------------------------------------
  function reasons(parent, c) {
    if (c.reasons.length === 0) {
      html("p", { "class": "empty" }, parent, "No message of this campaign was deferred or skipped.");
      return;
    }
    var rowH = 24, labelW = 300, width = 640, barW = width - labelW - 60;
    var max = Math.max.apply(null, c.reasons.map(function (r) { return r.count; }));
    var s = svg("svg", { width: width, height: c.reasons.length * rowH + 4, role: "img", "aria-label": "deferrals and skips by reason" }, parent);
    c.reasons.forEach(function (r, i) {
      var keys = { "data-campaign": c.id, "data-channel": r.channel, "data-action": r.action, "data-reason": r.reason };
      var g = svg("g", Object.assign({ "class": "reason", "data-value": r.count }, keys), s);
      var y = i * rowH;
      svg("text", { x: 0, y: y + 16 }, g, CHANNEL[r.channel] + " \u00b7 " + r.action + " \u00b7 " + r.reason);
      svg("rect", { x: labelW, y: y + 4, width: Math.max(2, barW * r.count / max), height: rowH - 8, fill: COLOR[r.action], rx: 3 }, g);
      svg("text", Object.assign({ "class": "value", x: labelW + barW + 8, y: y + 16 }, keys), g, String(r.count));
      tip(g, CHANNEL[r.channel] + " messages " + r.action + " because of " + r.reason + ": " + r.count
        + " (decisions, not people: a message deferred twice counts twice)");
    });
    var legend = html("div", { "class": "legend" }, parent);
    ["deferred", "skipped"].forEach(function (a) {
      var item = html("span", {}, legend);
      html("i", { style: "background:" + COLOR[a] }, item);
      item.appendChild(document.createTextNode(a === "deferred" ? "deferred (sent later)" : "skipped (not sent)"));
    });
  }

  // --- activity over time --------------------------------------------------------------------------------------
  function bucketLabel(b, unit) {
    // 2026-12-01T17 (UTC hour) or 2026-12-01 (UTC day)
    var m = MONTHS[parseInt(b.substring(5, 7), 10) - 1] + " " + b.substring(8, 10);
    return unit === "hour" ? m + " " + b.substring(11, 13) + ":00" : m;
  }
  // The top of the y axis: an even number (its half is a whole tick), 1-2-5 steps past ten.
  function niceMax(v) {
    if (v <= 10) { return Math.max(2, v + v % 2); }
    var p = Math.pow(10, Math.floor(Math.log10(v))), n = v / p;
    return (n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  }
  function activity(parent, c) {
    var a = c.activity, n = a.buckets.length;
    if (n === 0) {
      html("p", { "class": "empty" }, parent, "Nothing happened yet.");
      return;
    }
    var W = 900, H = 240, L = 44, R = 10, T = 10, B = 44, w = W - L - R, h = H - T - B;
    var shown = a.lines.filter(function (l) { return l.values.some(function (v) { return v > 0; }); });
    var max = niceMax(Math.max.apply(null, [1].concat(shown.map(function (l) { return Math.max.apply(null, l.values); }))));
    var x = function (i) { return L + (n === 1 ? w / 2 : w * i / (n - 1)); };
    var y = function (v) { return T + h - h * v / max; };
    var s = svg("svg", { width: W, height: H, "class": "activity", "data-campaign": c.id, "data-unit": a.unit, role: "img",
      "aria-label": "activity per " + a.unit }, parent);
    var grid = svg("g", { "class": "grid axis" }, s);
    [0, max / 2, max].forEach(function (v) {
      svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v) }, grid);
      svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, grid, String(v));
    });
    var axis = svg("g", { "class": "axis" }, s);
    svg("line", { x1: L, x2: W - R, y1: T + h, y2: T + h }, axis);
    var every = Math.max(1, Math.ceil(n / 10));
    for (var i = 0; i < n; i += every) {
      svg("line", { x1: x(i), x2: x(i), y1: T + h, y2: T + h + 4 }, axis);
      svg("text", { x: x(i), y: T + h + 17, "text-anchor": "middle" }, axis, bucketLabel(a.buckets[i], a.unit));
    }
    svg("text", { x: L + w / 2, y: H - 4, "text-anchor": "middle" }, axis, a.unit === "hour" ? "hour (UTC)" : "day (UTC)");
    shown.slice().reverse().forEach(function (l) { // the sends drawn last, on top
      var pts = l.values.map(function (v, i) { return x(i).toFixed(1) + "," + y(v).toFixed(1); }).join(" ");
      svg("polyline", { points: pts, fill: "none", stroke: COLOR[l.key], "stroke-width": 2, "data-line": l.key }, s);
      l.values.forEach(function (v, i) {
        if (v > 0 && n <= 400) { svg("circle", { cx: x(i), cy: y(v), r: 2.5, fill: COLOR[l.key] }, s); }
      });
    });
    // One invisible column per bucket: hovering it lists that bucket's numbers.
    var hover = svg("g", { "class": "buckets" }, s);
    a.buckets.forEach(function (b, i) {
      var half = n === 1 ? w / 2 : w / (n - 1) / 2;
      var r = svg("rect", { x: x(i) - half, y: T, width: 2 * half, height: h, fill: "transparent", "data-bucket": b }, hover);
      tip(r, bucketLabel(b, a.unit) + " UTC\n" + a.lines.map(function (l) { return l.label + ": " + l.values[i]; }).join("\n"));
    });
    var legend = html("div", { "class": "legend" }, parent);
    a.lines.forEach(function (l) {
      var total = l.values.reduce(function (t, v) { return t + v; }, 0);
      var item = html("span", { "class": "line", "data-campaign": c.id, "data-line": l.key, "data-values": l.values.join(","),
        "data-total": total }, legend);
      html("i", { style: "background:" + COLOR[l.key] }, item);
      item.appendChild(document.createTextNode(l.label + " "));
      html("b", {}, item, String(total));
    });
  }

  // --- experiment and goal --------------------------------------------------------------------------------------
  var CALL = { "too-small": "too small to call", better: "better than holdout", worse: "worse than holdout",
    "no-difference-yet": "no difference yet" };
  var CALL_COLOR = { "too-small": MUTED, better: "#059669", worse: "#dc2626", "no-difference-yet": INK };
  function groupName(g) { return g.holdout ? "holdout" : "variant " + g.id; }
  function percent(r) { return (100 * r).toFixed(2) + "%"; }
  function points(d) { return (d > 0 ? "+" : d < 0 ? "\u2212" : "") + Math.abs(100 * d).toFixed(2) + " pp"; }
  function tick(d) { return (d > 0 ? "+" : d < 0 ? "\u2212" : "") + parseFloat(Math.abs(100 * d).toFixed(2)) + " pp"; }
  // PT72H (a Duration as the API writes it) as "3 days"; anything else as it is, without its PT.
  function span(iso) {
    var m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso);
    if (!m) { return iso; }
    var h = parseInt(m[1] || "0", 10);
    if (!m[2] && !m[3] && h > 0 && h % 24 === 0) { return h / 24 + (h === 24 ? " day" : " days"); }
    return iso.substring(2).toLowerCase();
  }
  // The half-width of the lift axis: past every bound, in 1-2-5 steps, at most 100 points (no bound is beyond).
  function niceExtent(v) {
    if (!(v > 0)) { return 0.01; }
    var p = Math.pow(10, Math.floor(Math.log10(v))), n = v / p;
    return Math.min(1, (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p);
  }
  function groups(parent, c, x) {
    var cols = [["contacts", "contacts", ""], ["sent", "email sent", "email"], ["sent", "SMS sent", "sms"],
      ["conversions", "conversions", ""], ["rate", "conversion rate", ""]];
    var rowH = 26, top = 22, labelW = 160, colW = 100, barW = 200, W = labelW + cols.length * colW + barW;
    var s = svg("svg", { width: W, height: top + x.groups.length * rowH + 4, "class": "groups", "data-campaign": c.id,
      role: "img", "aria-label": "experiment groups" }, parent);
    var head = svg("g", { "class": "axis" }, s);
    cols.forEach(function (col, j) {
      svg("text", { x: labelW + (j + 1) * colW - 8, y: 14, "text-anchor": "end" }, head, col[1]);
    });
    var maxRate = Math.max.apply(null, [0].concat(x.groups.map(function (g) { return g.conversionRate; })));
    x.groups.forEach(function (g, i) {
      var y = top + i * rowH;
      var row = svg("g", { "class": "group", "data-campaign": c.id, "data-group": g.id, "data-share": g.share }, s);
      svg("text", { x: 0, y: y + 17 }, row, groupName(g) + " \u00b7 " + Math.round(1000 * g.share) / 10 + "% of contacts");
      var values = [g.contacts, g.sent.email, g.sent.sms, g.conversions, g.conversionRate];
      cols.forEach(function (col, j) {
        var keys = { "data-campaign": c.id, "data-group": g.id, "data-stage": col[0] };
        if (col[2]) { keys["data-channel"] = col[2]; }
        svg("text", Object.assign({ "class": "value", x: labelW + (j + 1) * colW - 8, y: y + 17, "text-anchor": "end",
          "data-value": values[j] }, keys), row, col[0] === "rate" ? percent(values[j]) : String(values[j]));
      });
      var x0 = labelW + cols.length * colW + 8, w = barW - 16;
      svg("rect", { x: x0, y: y + 6, width: w, height: rowH - 12, fill: "#f3f4f6", rx: 3 }, row);
      svg("rect", { x: x0, y: y + 6, width: maxRate > 0 ? w * g.conversionRate / maxRate : 0, height: rowH - 12,
        fill: g.holdout ? MUTED : COLOR.conversion, rx: 3 }, row);
      tip(row, groupName(g) + ": " + g.contacts + " contacts, " + g.sent.email + " emails and " + g.sent.sms
        + " SMS sent, " + g.conversions + " converted (" + percent(g.conversionRate) + ")"
        + (g.holdout ? "; held out: enrolled and counted, sent nothing" : ""));
    });
  }
  function lifts(parent, c, x) {
    var vs = x.groups.filter(function (g) { return g.lift; });
    var W = 900, labelW = 110, textW = 410, T = 22, rowH = 30, B = 30, n = vs.length;
    var plotL = labelW, plotR = W - textW, pw = plotR - plotL;
    var ext = niceExtent(1.05 * Math.max.apply(null, vs.map(function (g) {
      return Math.max(Math.abs(g.lift.ci95[0]), Math.abs(g.lift.ci95[1]), Math.abs(g.lift.difference));
    })));
    var X = function (d) { return plotL + pw * (d + ext) / (2 * ext); };
    var s = svg("svg", { width: W, height: T + n * rowH + B, "class": "lifts", "data-campaign": c.id, role: "img",
      "aria-label": "lift over the holdout with its 95% interval" }, parent);
    var axis = svg("g", { "class": "axis" }, s);
    var bottom = T + n * rowH;
    svg("line", { x1: plotL, x2: plotR, y1: bottom, y2: bottom }, axis);
    [-ext, -ext / 2, 0, ext / 2, ext].forEach(function (v) {
      svg("line", { x1: X(v), x2: X(v), y1: bottom, y2: bottom + 4 }, axis);
      svg("text", { x: X(v), y: bottom + 17, "text-anchor": "middle" }, axis, tick(v));
    });
    var headX = [plotR + 12, plotR + 100, plotR + 270];
    ["lift", "95% interval", "call"].forEach(function (h, j) { svg("text", { x: headX[j], y: 14 }, axis, h); });
    svg("line", { "class": "zero", x1: X(0), x2: X(0), y1: T - 4, y2: bottom, stroke: INK, "stroke-width": 1,
      "data-value": 0 }, s);
    vs.forEach(function (g, i) {
      var l = g.lift, y = T + i * rowH + rowH / 2, color = CALL_COLOR[l.call] || INK;
      var keys = { "data-campaign": c.id, "data-group": g.id };
      var row = svg("g", Object.assign({ "class": "lift", "data-call": l.call }, keys), s);
      svg("text", { x: 0, y: y + 4 }, row, groupName(g));
      svg("line", { x1: X(l.ci95[0]), x2: X(l.ci95[1]), y1: y, y2: y, stroke: color, "stroke-width": 2 }, row);
      [l.ci95[0], l.ci95[1]].forEach(function (b) {
        svg("line", { x1: X(b), x2: X(b), y1: y - 6, y2: y + 6, stroke: color, "stroke-width": 2 }, row);
      });
      svg("circle", { cx: X(l.difference), cy: y, r: 5, fill: color }, row);
      svg("text", Object.assign({ "class": "value", x: headX[0], y: y + 4, "data-stage": "lift", "data-value": l.difference }, keys),
        row, points(l.difference));
      svg("text", Object.assign({ x: headX[1], y: y + 4, "data-stage": "lift-low", "data-value": l.ci95[0] }, keys), row, points(l.ci95[0]));
      svg("text", { "class": "muted", x: headX[1] + 70, y: y + 4 }, row, "to");
      svg("text", Object.assign({ x: headX[1] + 90, y: y + 4, "data-stage": "lift-high", "data-value": l.ci95[1] }, keys), row, points(l.ci95[1]));
      svg("text", Object.assign({ "class": "value", x: headX[2], y: y + 4, fill: color, "data-stage": "call", "data-value": l.call }, keys),
        row, CALL[l.call] || l.call);
      var held = x.groups.filter(function (h) { return h.holdout; })[0];
      tip(row, groupName(g) + " converted " + percent(g.conversionRate) + ", the holdout " + (held ? percent(held.conversionRate) : "-")
        + ": " + points(l.difference) + (l.relative === null ? "" : " (" + (l.relative > 0 ? "+" : "") + Math.round(100 * l.relative)
        + "% relative)") + "\n95% interval " + points(l.ci95[0]) + " to " + points(l.ci95[1]) + ": " + (CALL[l.call] || l.call)
        + (l.call === "too-small" ? " (too few conversions, or non-conversions, in a group for the interval to hold)" : ""));
    });
    if (x.interval) { html("p", { "class": "others" }, parent, "Lift: " + x.interval + "."); }
  }
  function credited(parent, c, gl, held) {
    html("h4", {}, parent, "Goal");
    var row = html("div", { "class": "row" }, parent);
    var card = html("div", { "class": "card", "data-campaign": c.id, "data-measure": "goal-conversions" }, row);
    html("span", { "class": "big value", "data-campaign": c.id, "data-measure": "goal-conversions" }, card, String(gl.conversions));
    card.appendChild(document.createTextNode("goal conversions: " + gl.event + " within " + span(gl.within)
      + " of the first message" + (held ? " (of enrolment, for the holdout)" : "")));
    html("h4", {}, parent, "Conversions credited last-touch");
    var rows = gl.credited.map(function (k) { return { channel: k.channel, step: k.step, n: k.conversions }; });
    if (gl.notCredited > 0) { rows.push({ channel: "", step: "", n: gl.notCredited }); }
    if (rows.length === 0) {
      html("p", { "class": "empty" }, parent, "No goal conversion yet.");
      return;
    }
    var rowH = 24, labelW = 300, width = 640, barW = width - labelW - 60;
    var max = Math.max.apply(null, rows.map(function (r) { return r.n; }));
    var s = svg("svg", { width: width, height: rows.length * rowH + 4, "class": "credited", role: "img",
      "aria-label": "goal conversions credited last-touch" }, parent);
    rows.forEach(function (r, i) {
      var y = i * rowH, none = r.channel === "";
      var keys = none ? { "data-campaign": c.id, "data-stage": "not-credited" }
          : { "data-campaign": c.id, "data-stage": "credited", "data-channel": r.channel, "data-step": r.step };
      var g = svg("g", Object.assign({ "class": "credit", "data-value": r.n }, keys), s);
      svg("text", { x: 0, y: y + 16 }, g, none ? "no message before it" + (held ? " (the holdout's, for one)" : "")
        : (CHANNEL[r.channel] || r.channel) + " \u00b7 step " + r.step);
      svg("rect", { x: labelW, y: y + 4, width: Math.max(2, barW * r.n / max), height: rowH - 8,
        fill: none ? MUTED : COLOR[r.channel] || MUTED, rx: 3 }, g);
      svg("text", Object.assign({ "class": "value", x: labelW + barW + 8, y: y + 16 }, keys), g, String(r.n));
      tip(g, none ? r.n + " goal conversions had no message of the campaign before them in the window"
        : r.n + " goal conversions credited to their last message before them: " + (CHANNEL[r.channel] || r.channel)
        + " of step " + r.step);
    });
  }
  function experiment(parent, c) {
    var x = c.experiment;
    var box = html("div", { "class": "experiment", "data-campaign": c.id }, parent);
    if (x.groups.length > 0) {
      groups(box, c, x);
      if (!x.goal) {
        html("p", { "class": "empty" }, box, "This campaign has no goal: its groups' conversions are not counted.");
      }
      if (x.groups.some(function (g) { return g.holdout; })) {
        html("h4", {}, box, "Lift over the holdout");
        lifts(box, c, x);
      } else {
        html("p", { "class": "empty" }, box, "No holdout: each group is counted, and no lift is drawn.");
      }
    }
    if (x.goal) { credited(box, c, x.goal, x.groups.some(function (g) { return g.holdout; })); }
  }

  // --- one campaign ----------------------------------------------------------------------------------------------
  function campaign(c) {
    var sec = html("section", { "class": "campaign", "data-campaign": c.id }, root);
    html("h2", {}, sec, c.name + (c.name === c.id ? "" : " (" + c.id + ")") + " \u00b7 " + c.playbook);
    html("h3", {}, sec, "Funnel per channel");
    var row = html("div", { "class": "row" }, sec);
    c.funnels.forEach(function (f) { funnel(row, c.id, "", f, 420); });
    var conv = html("div", { "class": "card", "data-campaign": c.id, "data-measure": "conversions" }, row);
    html("span", { "class": "big value", "data-campaign": c.id, "data-measure": "conversions" }, conv, String(c.conversions));
    conv.appendChild(document.createTextNode("conversions"));
    var e = c.stats.email, m = c.stats.sms, others = html("p", { "class": "others" }, sec);
    [["machine opens", e.opens.machine], ["bounces", e.bounces], ["complaints", e.complaints],
      ["unsubscribes", e.unsubscribes], ["email unknown", e.unknown], ["SMS failed", m.failed], ["SMS unknown", m.unknown]]
      .forEach(function (p) { html("span", {}, others, p[0] + ": " + p[1]); });

    if (c.experiment) {
      html("h3", {}, sec, "Experiment");
      experiment(sec, c);
    }

    html("h3", {}, sec, "Funnel per step");
    var steps = html("div", { "class": "row" }, sec);
    c.steps.forEach(function (st) {
      var box = html("div", { "class": "step", "data-step": st.step }, steps);
      html("h4", {}, box, "step " + st.step + (st.conversions ? " \u00b7 " + st.conversions + " conversions" : ""));
      st.funnels.forEach(function (f) { funnel(box, c.id, st.step, f, 300); });
    });

    html("h3", {}, sec, "Deferred and skipped, by reason");
    reasons(sec, c);
    html("h3", {}, sec, "Activity per " + c.activity.unit);
    activity(sec, c);
  }

  // --- conversations (simulations) ------------------------------------------------------------------------------
  function wallLabel(sec) {
    var d = new Date(sec * 1000);
    return DAYS[d.getUTCDay()] + " " + pad(d.getUTCDate()) + " " + MONTHS[d.getUTCMonth()];
  }
  function markShape(g, m, cx, cy, color) {
    if (m.kind === "sent") {
      svg("circle", { cx: cx, cy: cy, r: 6, fill: color }, g);
    } else if (m.kind === "deferred") {
      svg("circle", { cx: cx, cy: cy, r: 5, fill: "#fff", stroke: COLOR.deferred, "stroke-width": 2 }, g);
    } else if (m.kind === "skipped") {
      svg("path", { d: "M" + (cx - 5) + " " + (cy - 5) + "l10 10m0 -10l-10 10", stroke: COLOR.skipped, "stroke-width": 2.5 }, g);
    } else if (m.kind === "auto") {
      svg("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, fill: COLOR.auto }, g);
    } else {
      svg("path", { d: "M" + cx + " " + (cy - 6) + "l6 6l-6 6l-6 -6z", fill: COLOR.event }, g);
    }
  }
  function conversation(parent, cv) {
    var box = html("div", { "class": "contact", "data-contact": cv.contact }, parent);
    html("h4", {}, box, cv.name + (cv.name === cv.contact ? "" : " (" + cv.contact + ")") + " \u00b7 " + cv.zone);
    var W = 900, L = 56, R = 10, laneH = 26, top = 22, w = W - L - R, span = Math.max(1, cv.to - cv.from);
    var s = svg("svg", { width: W, height: top + 2 * laneH + 10, role: "img", "aria-label": "conversation with " + cv.name }, box);
    var x = function (wall) { return L + w * Math.min(1, Math.max(0, (wall - cv.from) / span)); };
    // Ticks on the contact's wall clock: every 6 hours over a few days (midnight and noon labelled), else by day.
    var days = span / 86400;
    var step = days <= 4 ? 21600 : days <= 12 ? 43200 : 86400 * Math.ceil(days / 12);
    var axis = svg("g", { "class": "axis" }, s);
    for (var t = Math.ceil(cv.from / step) * step; t <= cv.to; t += step) {
      var midnight = t % 86400 === 0, noon = t % 86400 === 43200;
      svg("line", { x1: x(t), x2: x(t), y1: top - 4, y2: top + 2 * laneH, stroke: midnight ? "#9ca3af" : "#e5e7eb" }, axis);
      var label = midnight ? wallLabel(t) : noon && days <= 4 ? "12:00" : "";
      if (label) { svg("text", { x: x(t) + 2, y: top - 8 }, axis, label); }
    }
    ["email", "sms"].forEach(function (lane, i) {
      var g = svg("g", { "class": "lane", "data-contact": cv.contact, "data-lane": lane }, s);
      var y0 = top + i * laneH;
      svg("rect", { x: L, y: y0 + 2, width: w, height: laneH - 4, fill: lane === "email" ? "#eff6ff" : "#ecfdf5", rx: 3 }, g);
      svg("text", { x: 0, y: y0 + 17 }, g, CHANNEL[lane]);
      cv.marks.filter(function (m) { return m.lane === lane; }).forEach(function (m) {
        var mg = svg("g", { "class": "mark", "data-contact": cv.contact, "data-lane": lane, "data-kind": m.kind,
          "data-at": m.at, "data-local": m.local }, g);
        markShape(mg, m, x(m.wall), y0 + laneH / 2, COLOR[lane]);
        tip(mg, m.local + " (" + cv.zone + ") \u00b7 " + CHANNEL[lane] + " \u00b7 " + m.label + (m.detail ? "\n" + m.detail : ""));
      });
    });
    var across = svg("g", { "class": "across", "data-contact": cv.contact }, s);
    cv.marks.filter(function (m) { return m.lane === "both"; }).forEach(function (m) {
      var mg = svg("g", { "class": "mark", "data-contact": cv.contact, "data-lane": "both", "data-kind": m.kind,
        "data-at": m.at, "data-local": m.local }, across);
      svg("line", { x1: x(m.wall), x2: x(m.wall), y1: top, y2: top + 2 * laneH, stroke: COLOR.conversion,
        "stroke-width": 2, "stroke-dasharray": "4 3" }, mg);
      svg("rect", { x: x(m.wall) - 4, y: top, width: 8, height: 2 * laneH, fill: "transparent" }, mg);
      tip(mg, m.local + " (" + cv.zone + ") \u00b7 " + m.label + (m.detail ? "\n" + m.detail : ""));
    });
  }
  function conversations(list) {
    var sec = html("section", { "class": "conversations" }, root);
    html("h2", {}, sec, "Conversations, each in the contact's own time");
    var legend = html("div", { "class": "legend" }, sec);
    [["sent", INK, "sent (in the lane's colour)"], ["deferred", COLOR.deferred, "deferred"], ["skipped", COLOR.skipped, "skipped"],
      ["event", COLOR.event, "the contact (open, click, reply...)"], ["auto", COLOR.auto, "automatic answer"],
      ["across", COLOR.conversion, "no channel (conversion)"]].forEach(function (k) {
      var item = html("span", {}, legend);
      html("i", { style: "background:" + k[1] }, item);
      item.appendChild(document.createTextNode(k[2]));
    });
    list.forEach(function (cv) { conversation(sec, cv); });
  }

  html("h1", {}, root, data.title);
  if (data.subtitle) { html("p", { "class": "sub" }, root, data.subtitle); }
  data.campaigns.forEach(campaign);
  if (data.conversations.length > 0) { conversations(data.conversations); }
  html("footer", {}, root, "Counts are of events and decisions, not people: two opens of one email count two. "
    + "The funnels read the same counters as GET /campaigns/{id}/stats. Hover a bar, a point or a mark for its details.");
}());
