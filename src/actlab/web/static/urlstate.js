// The whole setup in the URL's hash, readable: a copied link reproduces the run's setup.
//   #dataset=xor&noise=0&ratio=0.5&points=500&dseed=0&features=x1,x2
//    &layers=4:tanh,2:elu~alpha~0.5&lr=0.03&batch=10&opt=sgd&reg=none&rate=0&wseed=0&compare=relu
// The server validates whatever comes in; this file only translates.

const SCALARS = {  // hash key -> [setup field, parse]
  dataset: ["dataset", String], noise: ["noise", Number], ratio: ["train_ratio", Number],
  points: ["points", Number], dseed: ["data_seed", Number], lr: ["learning_rate", Number],
  batch: ["batch_size", Number], opt: ["optimiser", String], reg: ["regularisation", String],
  rate: ["regularisation_rate", Number], wseed: ["weight_seed", Number],
};

function encodeActivation(choice) {
  const params = Object.entries(choice.params || {}).map(([k, v]) => `~${k}~${v}`).join("");
  return choice.name + params;
}

function decodeActivation(text) {
  const [name, ...rest] = text.split("~");
  const params = {};
  for (let i = 0; i + 1 < rest.length; i += 2) params[rest[i]] = Number(rest[i + 1]);
  return {name, params};
}

export function encode(setup) {
  const parts = [];
  for (const [key, [field]] of Object.entries(SCALARS)) parts.push(`${key}=${setup[field]}`);
  parts.push(`features=${setup.features.join(",")}`);
  parts.push(`layers=${setup.layers.map(l => `${l.units}:${encodeActivation(l.activation)}`).join(",")}`);
  if (setup.compare) parts.push(`compare=${encodeActivation(setup.compare)}`);
  return "#" + parts.join("&");
}

// A partial setup from a hash ({} when there is none); unknown keys are ignored.
export function decode(hash) {
  const setup = {};
  const text = decodeURIComponent(hash.replace(/^#/, ""));
  if (!text) return setup;
  for (const pair of text.split("&")) {
    const eq = pair.indexOf("=");
    if (eq < 0) continue;
    const key = pair.slice(0, eq), value = pair.slice(eq + 1);
    if (key in SCALARS) {
      const [field, parse] = SCALARS[key];
      setup[field] = parse(value);
    } else if (key === "features") {
      setup.features = value ? value.split(",") : [];
    } else if (key === "layers") {
      setup.layers = value ? value.split(",").map(item => {
        const colon = item.indexOf(":");
        return {units: Number(item.slice(0, colon)), activation: decodeActivation(item.slice(colon + 1))};
      }) : [];
    } else if (key === "compare") {
      setup.compare = value ? decodeActivation(value) : null;
    }
  }
  return setup;
}
