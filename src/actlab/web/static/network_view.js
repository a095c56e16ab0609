// The network diagram: feature columns, hidden layers with their activation choice, the output
// nodes, and the links between them, drawn by weight sign and size with the value on hover.
import {css, diverging} from "./colours.js";
import {decodeBytes, drawActivation, paintFunction, paintGrid} from "./draw.js";

export const FEATURES = {  // name -> [label, function of the plane]
  x1: ["X₁", (a, b) => a / 6], x2: ["X₂", (a, b) => b / 6],
  x1_sq: ["X₁²", (a, b) => a * a / 18 - 1], x2_sq: ["X₂²", (a, b) => b * b / 18 - 1],
  x1_x2: ["X₁X₂", (a, b) => a * b / 18], sin_x1: ["sin(X₁)", (a, b) => Math.sin(a)],
  sin_x2: ["sin(X₂)", (a, b) => Math.sin(b)],
};

function element(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

function activationSelect(catalogue, selected) {
  const select = element("select", "activation");
  const families = {};
  for (const entry of catalogue) (families[entry.family] ||= []).push(entry.name);
  for (const family of Object.keys(families).sort()) {
    const group = element("optgroup", null, select);
    group.label = family.replaceAll("_", " ");
    for (const name of families[family]) {
      const option = element("option", null, group);
      option.value = name; option.textContent = name;
    }
  }
  select.value = selected;
  return select;
}

export {activationSelect};

export class NetworkView {
  constructor(root, handlers) {
    this.root = root;  // #network: holds svg#links and div#columns
    this.svg = root.querySelector("#links");
    this.columns = root.querySelector("#columns");
    this.handlers = handlers;  // onFeature(name), onUnits(layer, delta), onActivation(layer, choice)
    this.card = document.getElementById("link_value");
    this.svg.addEventListener("mousemove", event => this.hover(event));
    this.svg.addEventListener("mouseleave", () => { this.card.hidden = true; });
    window.addEventListener("resize", () => this.layoutLinks());
  }

  build(state, catalogue) {
    this.state = state;
    this.columns.replaceChildren();
    this.nodes = [];  // per column: list of neuron elements (inputs, hidden..., outputs)
    const setup = state.setup;
    const inputs = [];
    // the features: every one shown, the unused ones faded; click to toggle
    const features = element("div", "layer features-layer", this.columns);
    const head = element("div", "layer-head", features);
    head.innerHTML = `<span class="muted">${setup.features.length} of 7 inputs</span><span class="small muted">click to toggle</span>`;
    const featureNeurons = element("div", "neurons", features);
    for (const [name, [label, fn]] of Object.entries(FEATURES)) {
      const on = setup.features.includes(name);
      const node = element("div", `neuron feature${on ? "" : " off"}`, featureNeurons);
      node.dataset.feature = name;
      node.title = `${label}: click to ${on ? "remove" : "add"} this input`;
      const canvas = element("canvas", null, node);
      canvas.width = 38; canvas.height = 38;
      paintFunction(canvas, fn);
      element("span", "label", node).textContent = label;
      node.addEventListener("click", () => this.handlers.onFeature(name));
      if (on) inputs[setup.features.indexOf(name)] = node;
    }
    this.nodes.push(inputs);
    // hidden layers
    setup.layers.forEach((layer, index) => {
      const column = element("div", "layer hidden-layer", this.columns);
      column.dataset.layer = index;
      const head = element("div", "layer-head", column);
      const units = element("div", "units", head);
      const plus = element("button", "round", units); plus.textContent = "+";
      plus.title = "Add a neuron"; plus.addEventListener("click", () => this.handlers.onUnits(index, 1));
      const minus = element("button", "round", units); minus.textContent = "−";
      minus.title = "Remove a neuron"; minus.addEventListener("click", () => this.handlers.onUnits(index, -1));
      element("span", "small", units).textContent = `${layer.units} neuron${layer.units > 1 ? "s" : ""}`;
      const info = state.activations[index];
      const select = activationSelect(catalogue, info.name);
      head.appendChild(select);
      select.addEventListener("change", () => this.handlers.onActivation(index, {name: select.value, params: {}}));
      const plot = element("canvas", "act-plot", head);
      plot.width = 100; plot.height = 48;
      plot.title = "f (blue) and its derivative f′ (orange, dashed) on [−4, 4]";
      drawActivation(plot, info);
      const formula = element("div", "formula", head);
      formula.textContent = info.formula; formula.title = info.formula;
      const params = element("div", "params", head);
      for (const p of info.params) {
        const label = element("label", null, params);
        label.title = p.doc;
        label.append(p.name);
        const input = element("input", null, label);
        input.type = "number"; input.step = "any"; input.value = p.value;
        input.dataset.param = p.name;
        input.addEventListener("change", () => {
          const values = {};
          for (const field of params.querySelectorAll("input")) {
            if (field.value !== "") values[field.dataset.param] = Number(field.value);
          }
          this.handlers.onActivation(index, {name: info.name, params: values});
        });
      }
      const neurons = element("div", "neurons", column);
      const list = [];
      for (let j = 0; j < layer.units; j++) {
        const node = element("div", "neuron", neurons);
        const canvas = element("canvas", null, node);
        canvas.width = 38; canvas.height = 38;
        element("div", "bias", node);
        list.push(node);
      }
      this.nodes.push(list);
    });
    // the output node(s), with their bias
    const output = element("div", "layer output-layer", this.columns);
    const outHead = element("div", "layer-head", output);
    outHead.innerHTML = `<span class="muted">output</span><span class="small muted">${
      state.classes >= 3 ? `softmax over ${state.classes} classes` :
      state.classes === 2 ? "sigmoid, cross-entropy" : "linear, squared error"}</span>`;
    const outNeurons = element("div", "neurons", output);
    const outputs = [];
    for (let j = 0; j < state.widths[state.widths.length - 1]; j++) {
      const node = element("div", "neuron output-node", outNeurons);
      if (state.classes < 3) {  // one output: its map, small (the big one is on the right)
        const canvas = element("canvas", null, node);
        canvas.width = 26; canvas.height = 26;
        node.title = "the output";
      }
      element("div", "bias", node);
      outputs.push(node);
    }
    this.nodes.push(outputs);
    document.getElementById("layer_count").textContent =
      `${setup.layers.length} hidden layer${setup.layers.length === 1 ? "" : "s"}`;
    this.layoutLinks();
  }

  // Place one path per weight between the node centres (after the DOM has laid out).
  layoutLinks() {
    if (!this.nodes) return;
    const origin = this.root.getBoundingClientRect();
    const box = node => {
      const r = node.getBoundingClientRect();
      return {left: r.left - origin.left + this.root.scrollLeft, right: r.right - origin.left + this.root.scrollLeft,
              mid: (r.top + r.bottom) / 2 - origin.top};
    };
    this.svg.replaceChildren();
    this.svg.setAttribute("width", this.columns.scrollWidth);
    this.svg.setAttribute("height", this.columns.scrollHeight);
    this.paths = [];
    for (let c = 0; c + 1 < this.nodes.length; c++) {
      const layerPaths = [];
      this.nodes[c + 1].forEach((target, j) => {
        const row = [];
        this.nodes[c].forEach((source, i) => {
          const a = box(source), b = box(target);
          const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
          const mx = (a.right + b.left) / 2;
          path.setAttribute("d", `M${a.right},${a.mid} C${mx},${a.mid} ${mx},${b.mid} ${b.left},${b.mid}`);
          path.dataset.layer = c; path.dataset.from = i; path.dataset.to = j;
          this.svg.appendChild(path);
          row.push(path);
        });
        layerPaths.push(row);
      });
      this.paths.push(layerPaths);
    }
    if (this.lastNet) this.update(this.lastNet);
  }

  update(net, thumbnail = 20, grid = 100) {
    this.lastNet = net;
    if (!this.paths) return;
    const outputCanvas = this.nodes[this.nodes.length - 1][0]?.querySelector("canvas");
    if (outputCanvas) paintGrid(outputCanvas, decodeBytes(net.heat), grid);
    net.weights.forEach((matrix, c) => matrix.forEach((row, j) => row.forEach((w, i) => {
      const path = this.paths[c] && this.paths[c][j] && this.paths[c][j][i];
      if (!path) return;
      path.setAttribute("stroke", css(diverging(Math.tanh(w))));
      path.setAttribute("stroke-width", Math.min(7, 0.6 + Math.abs(w) * 1.6).toFixed(2));
      path.dataset.value = w;
    })));
    net.biases.forEach((biases, c) => biases.forEach((b, j) => {
      const node = this.nodes[c + 1] && this.nodes[c + 1][j];
      if (!node) return;
      const square = node.querySelector(".bias");
      square.style.background = css(diverging(Math.tanh(b)));
      square.title = `bias ${b.toFixed(3)}`;
      node.dataset.bias = b;
    }));
    const cells = thumbnail * thumbnail;
    net.neurons.forEach((encoded, c) => {
      const bytes = decodeBytes(encoded);  // the layer's neurons, one thumbnail after another
      for (let j = 0; j * cells < bytes.length; j++) {
      const node = this.nodes[c + 1] && this.nodes[c + 1][j];
      if (!node) continue;
      paintGrid(node.querySelector("canvas"), bytes.subarray(j * cells, (j + 1) * cells), thumbnail);
      const dead = net.dead[c][j], saturated = net.saturated[c][j];
      node.classList.toggle("dead", dead);
      node.classList.toggle("saturated", saturated && !dead);
      node.title = `layer ${c + 1}, neuron ${j + 1}: bias ${Number(node.dataset.bias).toFixed(3)}` +
        (dead ? " — dead: outputs 0 on every training point" : "") +
        (saturated && !dead ? " — saturated: |f′| < 0.01 on nearly every training point" : "");
      }
    });
  }

  hover(event) {
    const path = event.target.closest && event.target.closest("path");
    if (!path) { this.card.hidden = true; return; }
    const layer = Number(path.dataset.layer);
    this.card.textContent = `weight ${Number(path.dataset.value).toFixed(4)} (layer ${layer + 1}, ` +
      `from ${Number(path.dataset.from) + 1} to ${Number(path.dataset.to) + 1})`;
    this.card.style.left = `${event.clientX + 12}px`;
    this.card.style.top = `${event.clientY + 12}px`;
    this.card.hidden = false;
  }
}
