//! Placing text labels beside chart points so that no two labels overlap and no label covers a
//! point: a greedy search over positions around each point, nearest first, with a leader line
//! when a label has to stand back from its point.
//!
//! SVG text is measured by the viewer, not here, so widths are estimated generously (0.6 em a
//! character, wider than the average sans-serif glyph) and boxes get a little padding.

/// An axis-aligned box in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl Rect {
    /// The box around a point, `r` pixels each way.
    pub fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    /// The area two boxes share.
    pub fn overlap(&self, o: &Rect) -> f64 {
        let w = self.x1.min(o.x1) - self.x0.max(o.x0);
        let h = self.y1.min(o.y1) - self.y0.max(o.y0);
        if w > 0.0 && h > 0.0 {
            w * h
        } else {
            0.0
        }
    }

    /// Whether this box lies wholly inside `o`.
    pub fn inside(&self, o: &Rect) -> bool {
        self.x0 >= o.x0 && self.x1 <= o.x1 && self.y0 >= o.y0 && self.y1 <= o.y1
    }
}

/// The estimated size of a label at a font size in pixels.
pub fn text_size(text: &str, font_px: f64) -> (f64, f64) {
    (text.chars().count() as f64 * font_px * 0.6, font_px * 1.25)
}

/// A label to place: the point it belongs to, and the label's width and height, in pixels.
pub type Anchor = ((f64, f64), (f64, f64));

/// Where a label goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    /// The label's box; text is drawn left-aligned, vertically centred in it.
    pub rect: Rect,
    /// Whether to draw a line from the point to the label.
    pub leader: bool,
}

/// Places one label per anchor, in the order given (put the most important first). `points` are
/// obstacles every label must avoid; `bounds` is the area labels must stay inside.
pub fn place(anchors: &[Anchor], points: &[Rect], bounds: Rect) -> Vec<Placement> {
    const DISTANCES: [f64; 6] = [7.0, 18.0, 32.0, 50.0, 72.0, 100.0];
    // Right, left, above, below, then the diagonals.
    const DIRECTIONS: [(f64, f64); 8] = [
        (1.0, 0.0),
        (-1.0, 0.0),
        (0.0, -1.0),
        (0.0, 1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, -1.0),
        (-1.0, 1.0),
    ];
    let mut placed: Vec<Rect> = Vec::with_capacity(anchors.len());
    let mut out = Vec::with_capacity(anchors.len());
    for &((x, y), (w, h)) in anchors {
        let mut best: Option<(f64, Placement)> = None;
        'search: for d in DISTANCES {
            for (dx, dy) in DIRECTIONS {
                let cx = x + dx * (d + w / 2.0);
                let cy = y + dy * (d + h / 2.0);
                let rect = Rect {
                    x0: cx - w / 2.0,
                    y0: cy - h / 2.0,
                    x1: cx + w / 2.0,
                    y1: cy + h / 2.0,
                };
                // A spot that pokes out of the chart slides back in (a leader line joins it to
                // its point), so a point near an edge can be labelled on that side too; but never
                // over its own point.
                let slid = slide_inside(rect, &bounds);
                let moved = slid != rect;
                if moved && slid.overlap(&Rect::around(x, y, 3.0)) > 0.0 {
                    continue;
                }
                let rect = slid;
                let padded = Rect {
                    x0: rect.x0 - 2.0,
                    y0: rect.y0 - 1.0,
                    x1: rect.x1 + 2.0,
                    y1: rect.y1 + 1.0,
                };
                let mut penalty: f64 = placed.iter().chain(points).map(|o| padded.overlap(o)).sum();
                if !rect.inside(&bounds) {
                    penalty += w * h * 10.0;
                }
                let candidate = Placement {
                    rect,
                    leader: d > DISTANCES[0] || moved,
                };
                if penalty == 0.0 {
                    best = Some((0.0, candidate));
                    break 'search;
                }
                // Distance breaks ties between equally bad spots: nearer reads better.
                let score = penalty + d;
                if best.is_none_or(|(b, _)| score < b) {
                    best = Some((score, candidate));
                }
            }
        }
        let Some((_, p)) = best else { continue };
        placed.push(p.rect);
        out.push(p);
    }
    out
}

/// Moves a box the least distance that puts it inside `bounds`, if it fits at all.
fn slide_inside(r: Rect, bounds: &Rect) -> Rect {
    let shift = |lo: f64, hi: f64, min: f64, max: f64| {
        if hi - lo > max - min {
            0.0
        } else if lo < min {
            min - lo
        } else if hi > max {
            max - hi
        } else {
            0.0
        }
    };
    let dx = shift(r.x0, r.x1, bounds.x0, bounds.x1);
    let dy = shift(r.y0, r.y1, bounds.y0, bounds.y1);
    Rect {
        x0: r.x0 + dx,
        y0: r.y0 + dy,
        x1: r.x1 + dx,
        y1: r.y1 + dy,
    }
}

/// Small boxes along a polyline, every few pixels, so that labels can be kept off the line.
pub fn along(points: &[(i32, i32)]) -> Vec<Rect> {
    let mut out = Vec::new();
    for w in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (
            (f64::from(w[0].0), f64::from(w[0].1)),
            (f64::from(w[1].0), f64::from(w[1].1)),
        );
        let steps = ((x1 - x0).hypot(y1 - y0) / 4.0).ceil().max(1.0) as usize;
        for k in 0..=steps {
            let t = k as f64 / steps as f64;
            out.push(Rect::around(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, 1.5));
        }
    }
    out
}

/// Where a leader line from a point should end on its label: the nearest point of the box.
pub fn leader_end(x: f64, y: f64, r: &Rect) -> (f64, f64) {
    (x.clamp(r.x0, r.x1), y.clamp(r.y0, r.y1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds() -> Rect {
        Rect {
            x0: 0.0,
            y0: 0.0,
            x1: 800.0,
            y1: 600.0,
        }
    }

    #[test]
    fn crowded_labels_do_not_overlap_each_other_or_points() {
        // Twelve points packed into a small square, each with a long label.
        let pts: Vec<(f64, f64)> = (0..12)
            .map(|i| (300.0 + (i % 4) as f64 * 12.0, 300.0 + (i / 4) as f64 * 10.0))
            .collect();
        let anchors: Vec<_> = pts
            .iter()
            .map(|&p| (p, text_size("anthropic/claude-3-sonnet", 12.0)))
            .collect();
        let obstacles: Vec<Rect> = pts.iter().map(|&(x, y)| Rect::around(x, y, 5.0)).collect();
        let placed = place(&anchors, &obstacles, bounds());
        assert_eq!(placed.len(), 12);
        for (i, a) in placed.iter().enumerate() {
            assert!(a.rect.inside(&bounds()));
            for o in &obstacles {
                assert_eq!(a.rect.overlap(o), 0.0, "label {i} covers a point");
            }
            for b in &placed[i + 1..] {
                assert_eq!(a.rect.overlap(&b.rect), 0.0, "labels overlap");
            }
        }
    }

    #[test]
    fn a_lone_point_gets_its_label_right_beside_it() {
        let anchors = [((100.0, 100.0), (50.0, 15.0))];
        let p = place(&anchors, &[Rect::around(100.0, 100.0, 5.0)], bounds());
        assert_eq!(
            p[0].rect,
            Rect {
                x0: 107.0,
                y0: 92.5,
                x1: 157.0,
                y1: 107.5
            }
        );
        assert!(!p[0].leader);
    }

    #[test]
    fn labels_keep_off_lines() {
        // A horizontal line through the point: the label must go above or below it.
        let line = along(&[(0, 100), (800, 100)]);
        let p = place(&[((400.0, 100.0), (80.0, 15.0))], &line, bounds());
        assert!(line.iter().all(|r| r.overlap(&p[0].rect) == 0.0));
        assert!(p[0].rect.y1 < 100.0 || p[0].rect.y0 > 100.0);
    }

    #[test]
    fn labels_near_the_right_edge_go_left() {
        let anchors = [((790.0, 100.0), (60.0, 15.0))];
        let p = place(&anchors, &[], bounds());
        assert!(p[0].rect.x1 <= 790.0);
    }
}
