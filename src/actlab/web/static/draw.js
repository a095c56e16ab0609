// Canvas drawing: heat maps, neuron thumbnails, points, the loss chart, activation plots.
import {BYTE_LUT, classColour, css, diverging, labelColour} from "./colours.js";

export const DOMAIN = 6;  // the plane shown is [-6, 6]²

export function decodeBytes(base64) {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

// Paint size × size byte values (or class + confidence bytes) into a canvas, scaled to fit.
const scratch = document.createElement("canvas");
export function paintGrid(canvas, bytes, size, {classes = null, discretise = false} = {}) {
  scratch.width = size; scratch.height = size;
  const ctx = scratch.getContext("2d");
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    let rgb;
    if (classes) {
      const confidence = discretise ? 1 : bytes[i] / 255;
      rgb = classColour(classes[i], 0.15 + 0.85 * confidence);
    } else if (discretise) {
      rgb = BYTE_LUT[bytes[i] >= 128 ? 255 : 0];
    } else {
      rgb = BYTE_LUT[bytes[i]];
    }
    image.data[4 * i] = rgb[0]; image.data[4 * i + 1] = rgb[1];
    image.data[4 * i + 2] = rgb[2]; image.data[4 * i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  const out = canvas.getContext("2d");
  out.imageSmoothingEnabled = true;
  out.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// A function of the plane drawn into a small canvas (the input features).
export function paintFunction(canvas, fn, size = 20) {
  const bytes = new Uint8Array(size * size);
  let k = 0;
  for (let row = 0; row < size; row++) {
    const x2 = DOMAIN - (row + 0.5) / size * 2 * DOMAIN;
    for (let col = 0; col < size; col++) {
      const x1 = (col + 0.5) / size * 2 * DOMAIN - DOMAIN;
      bytes[k++] = Math.round((Math.max(-1, Math.min(1, fn(x1, x2))) + 1) * 127.5);
    }
  }
  paintGrid(canvas, bytes, size);
}

export function toCanvas(canvas, x1, x2) {
  return [(x1 + DOMAIN) / (2 * DOMAIN) * canvas.width, (DOMAIN - x2) / (2 * DOMAIN) * canvas.height];
}

export function fromCanvas(canvas, px, py) {
  return [px / canvas.width * 2 * DOMAIN - DOMAIN, DOMAIN - py / canvas.height * 2 * DOMAIN];
}

export function drawPoints(canvas, rows, classes, {test = false, radius = 3.2} = {}) {
  const ctx = canvas.getContext("2d");
  ctx.lineWidth = test ? 1.6 : 1;
  for (const [x1, x2, label] of rows) {
    const [px, py] = toCanvas(canvas, x1, x2);
    ctx.beginPath();
    ctx.arc(px, py, radius, 0, 2 * Math.PI);
    ctx.fillStyle = labelColour(label, classes);
    ctx.strokeStyle = test ? "#000" : "#fff";
    ctx.fill(); ctx.stroke();
  }
}

// Axes ticks on the heat map, as numbers at the edges.
export function drawAxes(canvas) {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "rgba(38,50,56,.65)";
  ctx.font = "10px sans-serif";
  for (const v of [-6, -4, -2, 0, 2, 4, 6]) {
    const [px] = toCanvas(canvas, v, 0);
    ctx.fillText(String(v), Math.min(canvas.width - 12, Math.max(1, px - 4)), canvas.height - 2);
  }
}

// Loss curves: series = [{values, colour, dash}], y from 0 to the largest finite value.
export function drawLossChart(canvas, series) {
  const ctx = canvas.getContext("2d");
  const {width, height} = canvas;
  ctx.clearRect(0, 0, width, height);
  let top = 0, longest = 1;
  for (const s of series) {
    for (const v of s.values) if (Number.isFinite(v) && v > top) top = v;
    longest = Math.max(longest, s.values.length);
  }
  top = top > 0 ? top * 1.05 : 1;
  ctx.strokeStyle = "#eceff1"; ctx.lineWidth = 1;
  for (let i = 1; i < 4; i++) {
    ctx.beginPath(); ctx.moveTo(0, height * i / 4); ctx.lineTo(width, height * i / 4); ctx.stroke();
  }
  for (const s of series) {
    ctx.strokeStyle = s.colour; ctx.lineWidth = 1.6; ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let pen = false;
    s.values.forEach((v, i) => {
      const x = longest > 1 ? i / (longest - 1) * (width - 2) + 1 : 1;
      if (!Number.isFinite(v)) { pen = false; return; }
      const y = height - 2 - v / top * (height - 6);
      if (pen) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
  ctx.fillStyle = "#6b7780"; ctx.font = "10px sans-serif";
  ctx.fillText(top.toPrecision(3), 3, 11);
  ctx.fillText("0", 3, height - 3);
}

// f (solid) and f' (dashed) of an activation, sampled on the server.
export function drawActivation(canvas, info) {
  const ctx = canvas.getContext("2d");
  const {width, height} = canvas;
  ctx.clearRect(0, 0, width, height);
  const finite = [...info.f, ...info.df].filter(Number.isFinite);
  let lo = Math.min(-1, ...finite), hi = Math.max(1, ...finite);
  lo = Math.max(lo, -4); hi = Math.min(hi, 4);
  const sx = x => (x - info.x[0]) / (info.x[info.x.length - 1] - info.x[0]) * (width - 4) + 2;
  const sy = y => height - 3 - (Math.max(lo, Math.min(hi, y)) - lo) / (hi - lo) * (height - 6);
  ctx.strokeStyle = "#cfd8dc"; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(sx(0), 0); ctx.lineTo(sx(0), height);
  ctx.moveTo(0, sy(0)); ctx.lineTo(width, sy(0)); ctx.stroke();
  for (const [values, colour, dash] of [[info.df, "#f59322", [3, 2]], [info.f, "#0877bd", []]]) {
    ctx.strokeStyle = colour; ctx.lineWidth = 1.7; ctx.setLineDash(dash);
    ctx.beginPath();
    let pen = false;
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) { pen = false; return; }
      if (pen) ctx.lineTo(sx(info.x[i]), sy(v)); else ctx.moveTo(sx(info.x[i]), sy(v));
      pen = true;
    });
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

// A data set's sample drawn as a small icon.
export function drawDatasetIcon(canvas, sample) {
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (const [x1, x2, label] of sample.points) {
    const [px, py] = toCanvas(canvas, x1, x2);
    ctx.fillStyle = labelColour(label, sample.classes);
    ctx.fillRect(px - 1.5, py - 1.5, 3, 3);
  }
}

export {css, diverging};
