/**
 * Fragment shader of ShapeMarkerLayer: ScatterplotLayer's, with the circle replaced by a distance
 * function per shape (0 circle, 1 square, 2 diamond, 3 triangle, 4 hexagon, 5 cross) and +10 for a
 * hatched fill. Distances are 1.0 on the outline so fill, stroke and anti-aliasing work as for circles.
 */
export const SHAPE_MARKER_FS = /* glsl */ `\
#version 300 es
#define SHADER_NAME shape-marker-layer-fragment-shader
precision highp float;
in vec4 vFillColor;
in vec4 vLineColor;
in vec2 unitPosition;
in float innerUnitRadius;
in float outerRadiusPixels;
in float vShape;
out vec4 fragColor;

float shapeDistance(float shape, vec2 p) {
  vec2 a = abs(p);
  if (shape < 0.5) return length(p);
  if (shape < 1.5) return max(a.x, a.y) * 1.12;
  if (shape < 2.5) return a.x + a.y;
  if (shape < 3.5) return 2.0 * max(a.x * 0.866025 + p.y * 0.5, -p.y) * 0.92;
  return max(a.x * 0.866025 + a.y * 0.5, a.y) / 0.866025 * 0.96;
}

void main(void) {
  geometry.uv = unitPosition;
  float shape = mod(vShape, 10.0);
  bool hatched = vShape >= 9.5;
  float R = outerRadiusPixels;
  if (shape > 4.5) {
    // Cross: two diagonal bars, as wide as the stroke, inside 80 % of the radius.
    vec2 a = abs(unitPosition);
    float bar = min(abs(unitPosition.x - unitPosition.y), abs(unitPosition.x + unitPosition.y)) * 0.70711 * R;
    float halfWidth = max(1.0, (1.0 - innerUnitRadius) * R);
    float inside = smoothedge(bar, halfWidth) * smoothedge(max(a.x, a.y) * R, 0.8 * R);
    if (inside == 0.0) {
      discard;
    }
    fragColor = vec4(vLineColor.rgb, vLineColor.a * inside);
    DECKGL_FILTER_COLOR(fragColor, geometry);
    return;
  }
  float dist = shapeDistance(shape, unitPosition) * R;
  float inShape = smoothedge(dist, R);
  if (inShape == 0.0) {
    discard;
  }
  float isLine = smoothedge(innerUnitRadius * R, dist);
  vec4 fill = vFillColor;
  if (hatched) {
    float stripe = step(0.5, fract((gl_FragCoord.x + gl_FragCoord.y) / 5.0));
    fill.a *= stripe;
  }
  fragColor = mix(fill, vLineColor, isLine);
  fragColor.a *= inShape;
  DECKGL_FILTER_COLOR(fragColor, geometry);
}
`
