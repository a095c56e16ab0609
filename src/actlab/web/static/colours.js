// Colour scales: orange (−1) through light grey (0) to blue (+1), as TensorFlow Playground,
// and one colour per class for sets of three or more classes.
const ORANGE = [245, 147, 34];
const NEUTRAL = [232, 234, 235];
const BLUE = [8, 119, 189];
export const CLASS_COLOURS = [[245, 147, 34], [8, 119, 189], [67, 160, 71], [142, 36, 170],
                              [229, 57, 53], [109, 76, 65]];

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// value in [-1, 1] -> [r, g, b]
export function diverging(value) {
  const v = Math.max(-1, Math.min(1, value));
  return v < 0 ? mix(NEUTRAL, ORANGE, -v) : mix(NEUTRAL, BLUE, v);
}

// class index and confidence in [0, 1] -> [r, g, b]
export function classColour(index, confidence) {
  return mix(NEUTRAL, CLASS_COLOURS[index % CLASS_COLOURS.length], confidence);
}

export function css(rgb) {
  return `rgb(${rgb[0] | 0},${rgb[1] | 0},${rgb[2] | 0})`;
}

// a label as the colour of its point: class index (classes >= 2) or target in [-1, 1]
export function labelColour(label, classes) {
  if (classes === 0) return css(diverging(label));
  if (classes === 2) return css(label >= 0.5 ? BLUE : ORANGE);
  return css(CLASS_COLOURS[label % CLASS_COLOURS.length]);
}

// A 256-entry lookup table of the diverging scale for byte-encoded values (0 -> −1, 255 -> +1).
export const BYTE_LUT = Array.from({length: 256}, (_, i) => diverging(i / 127.5 - 1));
