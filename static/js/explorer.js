/* The explorer's interactive graph: Cytoscape.js (static/vendor/cytoscape) draws the nodes
   and edges the page embeds as JSON (#graph-data); selecting a node opens its page. Without
   scripts the page keeps its server-drawn SVG and lists, so nothing here is required. */
(function () {
  "use strict";

  var COLOURS = { author: "#1f5fae", topic: "#1e7a3c", institution: "#8a5a00" };

  function elements(data) {
    var nodes = data.nodes.map(function (n) {
      return { data: { id: n.id, label: n.label, kind: n.kind, hop: n.hop, weight: n.weight,
        url: n.url || "", status: n.status || "" } };
    });
    var edges = data.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind,
        weight: e.weight, near: e.source === data.center ? 1 : 0 } };
    });
    return nodes.concat(edges);
  }

  function style() {
    return [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 10, "color": "#1d2330", "text-valign": "bottom",
        "text-margin-y": 4, "text-wrap": "ellipsis", "text-max-width": 120,
        "width": 14, "height": 14, "background-color": "#1f5fae" } },
      { selector: "node[kind = 'topic']", style: { "shape": "round-rectangle", "background-color": COLOURS.topic } },
      { selector: "node[kind = 'institution']", style: { "shape": "diamond", "background-color": COLOURS.institution } },
      { selector: "node[hop = 0]", style: { "width": 34, "height": 34, "font-weight": "bold", "font-size": 12 } },
      { selector: "node[hop = 2]", style: { "width": 9, "height": 9, "font-size": 8, "background-opacity": 0.7 } },
      { selector: "node[status = 'claimed']", style: { "border-width": 3, "border-color": "#1e7a3c" } },
      { selector: "node[status = 'verified']", style: { "border-width": 4, "border-style": "double", "border-color": "#1e7a3c" } },
      { selector: "node[url != '']", style: { "cursor": "pointer" } },
      { selector: "edge", style: { "width": "mapData(weight, 1, 10, 1, 6)", "line-color": "#b8c0cc", "curve-style": "haystack" } },
      { selector: "edge[near = 0]", style: { "width": 1, "opacity": 0.35 } },
      { selector: "edge[kind != 'coauthor']", style: { "line-style": "dashed", "width": 1 } }
    ];
  }

  function start() {
    var source = document.getElementById("graph-data");
    var canvas = document.getElementById("graph-canvas");
    if (!source || !canvas || typeof window.cytoscape !== "function") return;
    var data = JSON.parse(source.textContent);
    canvas.hidden = false;
    var drawn = document.querySelector(".graph-static");
    if (drawn) drawn.hidden = true;
    var cy = window.cytoscape({
      container: canvas,
      elements: elements(data),
      style: style(),
      layout: { name: "concentric", concentric: function (n) { return 3 - n.data("hop"); },
        levelWidth: function () { return 1; }, minNodeSpacing: 18, animate: false },
      wheelSensitivity: 0.4
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url) window.location.assign(url);
    });
    window.peerageGraph = cy; // for the browser tests and the curious
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
