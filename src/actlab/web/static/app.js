// The playground page: one WebSocket to the server, controls that send typed messages,
// and drawing of the frames the server streams.  Training happens on the server.
import {decodeBytes, drawAxes, drawDatasetIcon, drawLossChart, drawPoints, fromCanvas, paintGrid} from "./draw.js";
import {activationSelect, NetworkView} from "./network_view.js";
import {decode, encode} from "./urlstate.js";

const $ = id => document.getElementById(id);
const page = {
  socket: null, hello: null, state: null, frame: null, playing: false,
  history: [[], []],  // per network: [{train, test}]
  catalogue: [],
  lastExport: null, errors: [],
};
window.actlabPlayground = page;  // for the browser tests and the curious

// --- the connection --------------------------------------------------------------------
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws`);
  page.socket = socket;
  socket.addEventListener("message", event => receive(JSON.parse(event.data)));
  socket.addEventListener("close", event => {
    page.connected = false;
    toast(event.code === 4000 ? "Closed after a long idle time: reload the page to continue."
                              : "The connection to the server closed: reload the page.", 0);
  });
  socket.addEventListener("open", () => { page.connected = true; });
}

function send(message) {
  if (page.socket && page.socket.readyState === WebSocket.OPEN) page.socket.send(JSON.stringify(message));
}

function sendSetup(changes) {
  send({type: "setup", setup: {...page.state.setup, ...changes}});
}

const handlers = {
  hello(message) {
    page.hello = message;
    page.catalogue = message.catalogue;
    buildDatasetPicker(message.datasets);
    const presets = $("preset");
    for (const [name, preset] of Object.entries(message.presets)) {
      const option = document.createElement("option");
      option.value = name; option.textContent = preset.title;
      presets.appendChild(option);
    }
    const compare = $("compare_activation");
    compare.replaceWith(Object.assign(activationSelect(page.catalogue, "relu"), {id: "compare_activation"}));
    $("compare_activation").disabled = true;
    $("compare_activation").addEventListener("change", () => {
      if ($("compare_on").checked) sendSetup({compare: {name: $("compare_activation").value, params: {}}});
    });
    const fromUrl = decode(location.hash);
    if (Object.keys(fromUrl).length) page.pendingUrlSetup = fromUrl;
  },
  state(message) {
    const first = page.state === null;
    page.state = message;
    page.playing = message.playing;
    page.history = [[], []];
    if (first && page.pendingUrlSetup) {  // the link's setup replaces the server's default
      sendSetup(page.pendingUrlSetup);
      page.pendingUrlSetup = null;
    }
    showState();
  },
  frame(message) {
    page.frame = message;
  $("epoch").textContent = String(message.epoch).padStart(6, "0");
    message.nets.forEach((net, k) => {
      const history = page.history[k];
      if (history.length && history[history.length - 1].steps > message.steps) history.length = 0;
      if (history.length && history[history.length - 1].steps === message.steps) history.pop();
      history.push({steps: message.steps, train: net.train_loss, test: net.test_loss});
      if (history.length > 1500) page.history[k] = history.filter((_, i) => i % 2 === 0);  // bounded
    });
    drawFrame();
  },
  status(message) {
    page.playing = message.playing;
    if (message.setup && page.state) {  // a learning rate, optimiser, ... changed: weights kept
      page.state.setup = message.setup;
      history.replaceState(null, "", encode(message.setup));
    }
    $("epoch").textContent = String(message.epoch).padStart(6, "0");
    $("play").textContent = page.playing ? "❚❚" : "▶";
    $("play").classList.toggle("playing", page.playing);
  },
  activation(message) {},
  export(message) { showExport(message); },
  error(message) {
    page.errors.push(message.message);
    toast(message.message);
  },
};

function receive(message) {
  const handler = handlers[message.type];
  if (handler) handler(message);
}

let toastTimer = null;
function toast(text, seconds = 6) {
  const box = $("toast");
  box.textContent = text; box.hidden = false;
  clearTimeout(toastTimer);
  if (seconds) toastTimer = setTimeout(() => { box.hidden = true; }, seconds * 1000);
}

// --- showing the setup -------------------------------------------------------------------
const network = new NetworkView($("network"), {
  onFeature(name) {
    const features = page.state.setup.features.includes(name)
      ? page.state.setup.features.filter(f => f !== name)
      : [...page.state.setup.features, name];
    if (features.length) sendSetup({features});
  },
  onUnits(index, delta) {
    const layers = page.state.setup.layers.map((layer, i) =>
      i === index ? {...layer, units: Math.max(1, Math.min(8, layer.units + delta))} : layer);
    sendSetup({layers});
  },
  onActivation(index, choice) {
    const layers = page.state.setup.layers.map((layer, i) => i === index ? {...layer, activation: choice} : layer);
    sendSetup({layers});
  },
});

function buildDatasetPicker(datasets) {
  const box = $("datasets");
  box.replaceChildren();
  for (const [name, sample] of Object.entries(datasets)) {
    const button = document.createElement("button");
    button.className = "dataset"; button.dataset.dataset = name; button.title = sample.title;
    const canvas = document.createElement("canvas");
    canvas.width = 52; canvas.height = 52;
    button.appendChild(canvas);
    const label = document.createElement("span");
    label.className = "name"; label.textContent = sample.short;
    button.appendChild(label);
    drawDatasetIcon(canvas, sample);
    button.addEventListener("click", () => sendSetup({dataset: name}));
    box.appendChild(button);
  }
}

function showState() {
  const {setup} = page.state;
  for (const button of document.querySelectorAll(".dataset")) {
    button.classList.toggle("selected", button.dataset.dataset === setup.dataset);
  }
  $("train_ratio").value = Math.round(setup.train_ratio * 100);
  $("train_ratio_value").textContent = `${Math.round(setup.train_ratio * 100)}%`;
  $("noise").value = Math.round(setup.noise * 100);
  $("noise_value").textContent = Math.round(setup.noise * 100);
  $("batch_size").value = setup.batch_size;
  $("batch_size_value").textContent = setup.batch_size;
  setSelect("learning_rate", setup.learning_rate);
  $("optimiser").value = setup.optimiser;
  $("regularisation").value = setup.regularisation;
  setSelect("regularisation_rate", setup.regularisation_rate);
  $("weight_seed").value = setup.weight_seed;
  $("compare_on").checked = Boolean(setup.compare);
  $("compare_activation").disabled = !setup.compare;
  if (setup.compare) $("compare_activation").value = setup.compare.name;
  $("epoch").textContent = String(page.state.epoch).padStart(6, "0");
  handlers.status({playing: page.state.playing, epoch: page.state.epoch, setup: setup});
  const classes = page.state.classes;
  const clickLabel = $("click_class_label");
  clickLabel.hidden = classes < 3;
  if (classes >= 3) {
    $("click_class").replaceChildren(...Array.from({length: classes}, (_, k) =>
      Object.assign(document.createElement("option"), {value: k, textContent: `class ${k}`})));
  }
  document.querySelector('.net[data-net="1"]').hidden = !setup.compare;
  $("shown_net_control").hidden = !setup.compare;
  if (!setup.compare) {
    page.shownNet = 0;
    document.querySelector('input[name="shown_net"][value="0"]').checked = true;
  }
  const names = page.state.activations.map(a => a.name);
  document.querySelector('.net[data-net="0"] .act-name').textContent =
    names.length ? [...new Set(names)].join(", ") : "no hidden layer";
  if (setup.compare) document.querySelector('.net[data-net="1"] .act-name').textContent = page.state.compare.name;
  network.build(page.state, page.catalogue);
  history.replaceState(null, "", encode(setup));
}

function setSelect(id, value) {
  const select = $(id);
  let match = [...select.options].find(o => Number(o.value) === value);
  if (!match) {
    match = Object.assign(document.createElement("option"), {value: String(value), textContent: String(value)});
    select.appendChild(match);
  }
  select.value = match.value;
}

// --- drawing a frame ----------------------------------------------------------------------
function drawFrame() {
  const frame = page.frame, state = page.state;
  if (!frame || !state) return;
  const grid = page.hello.limits.grid;
  const discretise = $("discretise").checked;
  frame.nets.forEach((net, k) => {
    const figure = document.querySelector(`.net[data-net="${k}"]`);
    const canvas = figure.querySelector("canvas");
    const classes = net.heat_class ? decodeBytes(net.heat_class) : null;
    paintGrid(canvas, decodeBytes(net.heat), grid, {classes, discretise});
    drawAxes(canvas);
    drawPoints(canvas, state.train, state.classes);
    if ($("show_test").checked) drawPoints(canvas, state.test, state.classes, {test: true});
    figure.querySelector(".train-loss").textContent = net.train_loss === null ? "NaN" : net.train_loss.toFixed(3);
    figure.querySelector(".test-loss").textContent = net.test_loss === null ? "NaN" : net.test_loss.toFixed(3);
    figure.querySelector(".diverged").hidden = !net.diverged;
  });
  const shown = Math.min(page.shownNet || 0, frame.nets.length - 1);
  network.update(frame.nets[shown], page.hello.limits.thumbnail, grid);
  $("shown_net_note").hidden = shown === 0;
  $("shown_net_note").textContent = shown ? `Drawn: network B (${state.compare.name} in every hidden layer); ` +
    "the choices above are network A's." : "";
  const diagnostics = frame.nets[shown].layers.map((layer, i) =>
    `layer ${i + 1}: ${(100 * layer.dead).toFixed(0)} % dead, ${(100 * layer.saturated).toFixed(0)} % saturated`);
  $("layer_diagnostics").textContent = diagnostics.length ? `actlab.diagnose on the training points — ${diagnostics.join("; ")}` : "";
  const series = [];
  const colours = ["#37474f", "#8e24aa"];
  page.history.forEach((history, k) => {
    if (!history.length) return;
    series.push({values: history.map(h => h.train), colour: colours[k], dash: [4, 3]});
    series.push({values: history.map(h => h.test), colour: colours[k]});
  });
  drawLossChart($("loss_chart"), series);
  $("loss_legend").textContent = "solid: test loss, dashed: training loss" +
    (state.setup.compare ? "; grey: A, purple: B" : "");
}

// --- controls -------------------------------------------------------------------------------
$("play").addEventListener("click", () => send({type: page.playing ? "pause" : "play"}));
$("step").addEventListener("click", () => send({type: "step"}));
$("reset").addEventListener("click", () => send({type: "reset"}));
$("new_weights").addEventListener("click", () => send({type: "new_weights"}));
$("weight_seed").addEventListener("change", () => {
  const seed = Number($("weight_seed").value);
  if (Number.isInteger(seed) && seed >= 0) send({type: "new_weights", seed});
});
$("regenerate").addEventListener("click", () => send({type: "regenerate"}));
for (const id of ["learning_rate", "regularisation_rate"]) {
  $(id).addEventListener("change", () => sendSetup({[id]: Number($(id).value)}));
}
for (const id of ["optimiser", "regularisation"]) {
  $(id).addEventListener("change", () => sendSetup({[id]: $(id).value}));
}
$("train_ratio").addEventListener("change", () => sendSetup({train_ratio: Number($("train_ratio").value) / 100}));
$("noise").addEventListener("change", () => sendSetup({noise: Number($("noise").value) / 100}));
$("batch_size").addEventListener("change", () => sendSetup({batch_size: Number($("batch_size").value)}));
for (const id of ["train_ratio", "noise", "batch_size"]) {
  $(id).addEventListener("input", () => {
    const v = Number($(id).value);
    $(`${id}_value`).textContent = id === "train_ratio" ? `${v}%` : v;
  });
}
$("add_layer").addEventListener("click", () => {
  const layers = page.state.setup.layers;
  if (layers.length >= 6) return;
  const last = layers.length ? layers[layers.length - 1] : {units: 2, activation: {name: "tanh", params: {}}};
  sendSetup({layers: [...layers, {units: 2, activation: last.activation}]});
});
$("remove_layer").addEventListener("click", () => {
  const layers = page.state.setup.layers;
  if (layers.length) sendSetup({layers: layers.slice(0, -1)});
});
$("compare_on").addEventListener("change", () => {
  sendSetup({compare: $("compare_on").checked ? {name: $("compare_activation").value, params: {}} : null});
});
$("preset").addEventListener("change", () => {
  const name = $("preset").value;
  if (!name) return;
  send({type: "preset", name});
  const note = $("preset_note");
  note.textContent = `${page.hello.presets[name].title}: ${page.hello.presets[name].explanation} Press ▶ to train.`;
  note.hidden = false;
  $("preset").value = "";
});
for (const id of ["show_test", "discretise"]) $(id).addEventListener("change", drawFrame);
for (const radio of document.querySelectorAll('input[name="shown_net"]')) {
  radio.addEventListener("change", () => { page.shownNet = Number(radio.value); drawFrame(); });
}
$("csv").addEventListener("change", async () => {
  const file = $("csv").files[0];
  if (!file) return;
  if (file.size > 250 * 1024) { toast("CSV file too large (at most 250 kB)"); return; }
  send({type: "upload_csv", text: await file.text()});
  $("csv").value = "";
});
for (const canvas of document.querySelectorAll(".heatmap")) {
  canvas.addEventListener("click", event => {
    const rect = canvas.getBoundingClientRect();
    const [x, y] = fromCanvas(canvas, (event.clientX - rect.left) * canvas.width / rect.width,
                              (event.clientY - rect.top) * canvas.height / rect.height);
    const classes = page.state.classes;
    let label;
    if (classes === 0) label = event.shiftKey ? -1 : 1;
    else if (classes === 2) label = event.shiftKey ? 0 : 1;
    else label = (Number($("click_class").value) + (event.shiftKey ? 1 : 0)) % classes;
    const clamp = v => Math.max(-6, Math.min(6, v));
    send({type: "add_point", x: clamp(x), y: clamp(y), label});
  });
}
$("export").addEventListener("click", () => send({type: "export", net: page.state.setup.compare ? page.shownNet || 0 : 0}));
$("copy_link").addEventListener("click", async () => {
  try { await navigator.clipboard.writeText(location.href); toast("Link copied: it reproduces this setup.", 3); }
  catch { toast(`Link: ${location.href}`, 10); }
});

function showExport(message) {
  page.lastExport = message;
  const bytes = decodeBytes(message.state_dict);
  const links = {
    download_model: new Blob([bytes], {type: "application/octet-stream"}),
    download_script: new Blob([message.script], {type: "text/x-python"}),
    download_setup: new Blob([JSON.stringify(message.setup, null, 2)], {type: "application/json"}),
  };
  for (const [id, blob] of Object.entries(links)) {
    const link = $(id);
    if (link.href.startsWith("blob:")) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
  }
  $("export_script").textContent = message.script;
  $("export_which").textContent = message.net ? "network B" : "network A";
  $("export_dialog").showModal();
}

connect();
