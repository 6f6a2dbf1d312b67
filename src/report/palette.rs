//! The report's label colours. Related domains share a hue family (care
//! services blue, public health green, people and livelihoods orange and
//! yellow, support for the system purple and pink, steering and governance
//! red), and `general`, the framing text, is a hatched grey. The colours
//! were searched for (lightness, chroma and hue within ±25° of the family's
//! hue) to make the smallest CIEDE2000 difference between any two of them,
//! and between any of them and the white page, as large as it could be:
//! 21.5. A test holds every pair to at least [`MIN_DELTA_E`].

/// How a label is drawn.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Swatch {
    pub colour: &'static str,
    /// Striped with white: `general`, and colours reused after the palette
    /// ran out (a taxonomy with labels of its own).
    pub hatched: bool,
    /// The family of related domains, named in the legend.
    pub group: &'static str,
}

/// The smallest CIEDE2000 difference allowed between two colours of the
/// palette, or between one and the page's white. 10 is clearly distinct
/// side by side; the palette reaches 21.5.
pub const MIN_DELTA_E: f64 = 20.0;

/// Families of related domains, with each label's colour (`#rrggbb`).
const GROUPS: [(&str, &[(&str, &str)]); 6] = [
    (
        "服务体系",
        &[
            ("medical", "#17475c"),
            ("primary", "#018ccf"),
            ("emergency", "#08d1fc"),
            ("tcm", "#a7bbef"),
        ],
    ),
    (
        "公共卫生",
        &[
            ("disease", "#485b0b"),
            ("promotion", "#639844"),
            ("occupational", "#bbdfa5"),
        ],
    ),
    (
        "人群与民生",
        &[
            ("maternal", "#e26100"),
            ("population", "#816145"),
            ("elderly", "#be9854"),
            ("poverty", "#fadd29"),
        ],
    ),
    (
        "支撑保障",
        &[
            ("workforce", "#fdccf4"),
            ("science", "#4b3a63"),
            ("digital", "#d173a7"),
            ("planning", "#7874b1"),
        ],
    ),
    (
        "治理与改革",
        &[
            ("party", "#8b1502"),
            ("reform", "#f49f93"),
            ("supervision", "#e5344b"),
            ("governance", "#910647"),
        ],
    ),
    ("总体", &[("general", "#8c8c8c")]),
];

/// The label drawn hatched even in the shipped taxonomy.
const HATCHED: &str = "general";

/// Legend group of labels the palette does not know.
const OTHER_GROUP: &str = "其他";

/// A swatch for every label id, in order. Known ids get their colour;
/// unknown ones the palette's colours no known id of this taxonomy took,
/// then every colour again, hatched.
pub fn assign<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<Swatch> {
    let ids: Vec<&str> = ids.collect();
    let known = |id: &str| {
        GROUPS.iter().find_map(|(group, labels)| {
            labels
                .iter()
                .find(|(l, _)| *l == id)
                .map(|(_, colour)| Swatch {
                    colour,
                    hatched: id == HATCHED,
                    group,
                })
        })
    };
    let all = GROUPS
        .iter()
        .flat_map(|(_, labels)| labels.iter().map(|(_, c)| *c));
    let free: Vec<&'static str> = all
        .clone()
        .filter(|c| {
            !ids.iter()
                .any(|id| known(id).is_some_and(|s| s.colour == *c))
        })
        .collect();
    let mut spare = free
        .into_iter()
        .map(|c| (c, false))
        .chain(all.map(|c| (c, true)).cycle());
    ids.iter()
        .map(|id| {
            known(id).unwrap_or_else(|| {
                let (colour, hatched) = spare.next().unwrap_or(("#8c8c8c", true));
                Swatch {
                    colour,
                    hatched,
                    group: OTHER_GROUP,
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CIELAB (D65) of an sRGB colour `#rrggbb`.
    fn lab(hex: &str) -> [f64; 3] {
        let channel = |i: usize| {
            let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let (r, g, b) = (channel(1), channel(3), channel(5));
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIEDE2000 colour difference (Sharma, Wu and Dalal 2005).
    fn delta_e_2000([l1, a1, b1]: [f64; 3], [l2, a2, b2]: [f64; 3]) -> f64 {
        let pow7 = |c: f64| c.powi(7);
        let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
        let g = 0.5 * (1.0 - (pow7(c_bar) / (pow7(c_bar) + pow7(25.0))).sqrt());
        let (a1, a2) = ((1.0 + g) * a1, (1.0 + g) * a2);
        let (c1, c2) = (a1.hypot(b1), a2.hypot(b2));
        let hue = |b: f64, a: f64| {
            if a == 0.0 && b == 0.0 {
                0.0
            } else {
                b.atan2(a).to_degrees().rem_euclid(360.0)
            }
        };
        let (h1, h2) = (hue(b1, a1), hue(b2, a2));
        let dl = l2 - l1;
        let dc = c2 - c1;
        let dh = if c1 * c2 == 0.0 {
            0.0
        } else if (h2 - h1).abs() <= 180.0 {
            h2 - h1
        } else if h2 <= h1 {
            h2 - h1 + 360.0
        } else {
            h2 - h1 - 360.0
        };
        let dh_big = 2.0 * (c1 * c2).sqrt() * (dh.to_radians() / 2.0).sin();
        let l_bar = (l1 + l2) / 2.0;
        let c_bar = (c1 + c2) / 2.0;
        let h_bar = if c1 * c2 == 0.0 {
            h1 + h2
        } else if (h1 - h2).abs() <= 180.0 {
            (h1 + h2) / 2.0
        } else if h1 + h2 < 360.0 {
            (h1 + h2 + 360.0) / 2.0
        } else {
            (h1 + h2 - 360.0) / 2.0
        };
        let cos = |deg: f64| deg.to_radians().cos();
        let t = 1.0 - 0.17 * cos(h_bar - 30.0)
            + 0.24 * cos(2.0 * h_bar)
            + 0.32 * cos(3.0 * h_bar + 6.0)
            - 0.20 * cos(4.0 * h_bar - 63.0);
        let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
        let r_c = 2.0 * (pow7(c_bar) / (pow7(c_bar) + pow7(25.0))).sqrt();
        let s_l = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
        let s_c = 1.0 + 0.045 * c_bar;
        let s_h = 1.0 + 0.015 * c_bar * t;
        let r_t = -(2.0 * d_theta).to_radians().sin() * r_c;
        ((dl / s_l).powi(2)
            + (dc / s_c).powi(2)
            + (dh_big / s_h).powi(2)
            + r_t * (dc / s_c) * (dh_big / s_h))
            .sqrt()
    }

    #[test]
    fn delta_e_2000_matches_published_pairs() {
        // Sharma, Wu and Dalal's test data, pairs 1, 7 and 17.
        let cases = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
        ];
        for (x, y, want) in cases {
            let got = delta_e_2000(x, y);
            assert!((got - want).abs() < 1e-4, "{got} vs {want}");
        }
    }

    #[test]
    fn every_two_colours_and_the_page_are_told_apart() {
        let mut colours: Vec<(&str, &str)> = GROUPS
            .iter()
            .flat_map(|(_, labels)| labels.iter().copied())
            .collect();
        assert_eq!(colours.len(), 20);
        colours.push(("page", "#ffffff"));
        let mut smallest = (f64::MAX, "", "");
        for (i, (a, ca)) in colours.iter().enumerate() {
            for (b, cb) in &colours[i + 1..] {
                let d = delta_e_2000(lab(ca), lab(cb));
                if d < smallest.0 {
                    smallest = (d, a, b);
                }
            }
        }
        assert!(
            smallest.0 >= MIN_DELTA_E,
            "{} and {} differ by only {:.1}",
            smallest.1,
            smallest.2,
            smallest.0
        );
        eprintln!(
            "palette: smallest CIEDE2000 difference {:.1} ({} / {})",
            smallest.0, smallest.1, smallest.2
        );
    }

    #[test]
    fn the_old_palette_would_fail() {
        // The colours the report used before: teal and teal collide.
        let d = delta_e_2000(lab("#76b7b2"), lab("#86bcb6"));
        assert!(d < MIN_DELTA_E, "{d}");
    }

    #[test]
    fn every_shipped_label_has_its_own_colour() {
        let taxonomy = crate::model::default_model().unwrap().taxonomy;
        let swatches = assign(taxonomy.iter().map(|l| l.id.as_str()));
        let mut seen = std::collections::HashSet::new();
        for (l, s) in taxonomy.iter().zip(&swatches) {
            assert_ne!(s.group, OTHER_GROUP, "{} has no colour", l.id);
            assert!(seen.insert(s.colour), "{} reuses {}", l.id, s.colour);
        }
        // Labels of another taxonomy: unused colours first, then hatched.
        let other = assign(["medical", "x1", "x2"].into_iter().chain(["y"; 25]));
        assert_eq!(other[0].colour, "#17475c");
        assert!(other[1].colour != "#17475c" && !other[1].hatched);
        assert!(other.iter().skip(20).all(|s| s.hatched));
    }
}
