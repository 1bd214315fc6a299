//! Drawing disconnectivity graphs as SVG (with plotters).

use crate::error::{Error, Result};
use crate::tree::{DisconnectivityGraph, NodeKind};
use petgraph::graph::NodeIndex;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::collections::HashMap;

/// A small grayscale image drawn under (representative) or above (members) a leaf, as in
/// seed 000 Fig. 16. Pixels are row-major intensities in `[0, 1]` (0 black, 1 white).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct GrayImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Row-major intensities in `[0, 1]`.
    pub pixels: Vec<f64>,
}

impl GrayImage {
    /// An image from row-major intensities.
    ///
    /// # Errors
    /// `DimensionMismatch` unless `pixels.len() == width * height`; `EmptyInput` for a zero size.
    pub fn new(width: usize, height: usize, pixels: Vec<f64>) -> Result<Self> {
        let image = Self { width, height, pixels };
        image.validate()?;
        Ok(image)
    }

    /// Checks what [`GrayImage::new`] checks (the fields are public, so an image can be built
    /// without it): a non-zero size whose pixel count fits `usize` and matches, finite pixels.
    ///
    /// # Errors
    /// As [`GrayImage::new`]; `InvalidParameter` for a size whose product overflows.
    pub fn validate(&self) -> Result<()> {
        if self.width == 0 || self.height == 0 {
            return Err(elm_core::Error::EmptyInput("image").into());
        }
        let count = self
            .width
            .checked_mul(self.height)
            .ok_or_else(|| elm_core::Error::invalid("image size", self.width, "width x height overflows"))?;
        elm_core::check::dim("image pixels", count, self.pixels.len())?;
        elm_core::check::all_finite("image pixels", &self.pixels)?;
        Ok(())
    }
}

/// Images to draw with a DG, indexed by input minimum: a row of representatives under the
/// leaves and, above each, a column of member images (seed 000 Fig. 16 shows basin members
/// sorted by decreasing energy from top to bottom).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeafImages {
    /// Representative image per input minimum (`None` leaves a gap).
    pub representatives: Vec<Option<GrayImage>>,
    /// Member images per input minimum, drawn bottom-up above the representative.
    pub members: Vec<Vec<GrayImage>>,
}

/// How to draw a disconnectivity graph.
#[derive(Debug, Clone, PartialEq)]
pub struct DgStyle {
    /// Picture width in pixels (default 900).
    pub width: u32,
    /// Picture height in pixels (default 600), image panel included.
    pub height: u32,
    /// Caption (default empty).
    pub title: String,
    /// Energy axis label (default "energy").
    pub energy_label: String,
    /// Write leaf labels under the leaves when there are at most this many leaves (default 40).
    pub max_labelled_leaves: usize,
    /// Draw leaf circles with area proportional to basin size (seed 000 Sec. 4.3); otherwise
    /// every leaf gets the same small marker (default true).
    pub size_circles: bool,
    /// Largest circle radius in pixels (default 14).
    pub max_circle_radius: f64,
    /// Colour branches by node value with the viridis map when values are set (default true).
    pub colour_by_value: bool,
    /// Fixed energy range of the axis (default: the data with 5% padding).
    pub energy_range: Option<(f64, f64)>,
    /// Member images drawn above each representative (default 3).
    pub member_rows: usize,
}

impl Default for DgStyle {
    fn default() -> Self {
        Self {
            width: 900,
            height: 600,
            title: String::new(),
            energy_label: "energy".into(),
            max_labelled_leaves: 40,
            size_circles: true,
            max_circle_radius: 14.0,
            colour_by_value: true,
            energy_range: None,
            member_rows: 3,
        }
    }
}

impl DgStyle {
    /// Sets the caption.
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets the picture size.
    #[must_use]
    pub fn with_size(mut self, width: u32, height: u32) -> Self {
        self.width = width;
        self.height = height;
        self
    }

    /// Sets the energy axis label.
    #[must_use]
    pub fn with_energy_label(mut self, label: impl Into<String>) -> Self {
        self.energy_label = label.into();
        self
    }

    /// Checks the sizes.
    ///
    /// # Errors
    /// `InvalidParameter` for a picture under 100 x 100 pixels, a non-positive circle radius or
    /// an empty or inverted energy range.
    pub fn validate(&self) -> Result<()> {
        if self.width < 100 || self.height < 100 {
            return Err(elm_core::Error::invalid(
                "size",
                format!("{}x{}", self.width, self.height),
                "at least 100x100",
            )
            .into());
        }
        elm_core::check::positive("max_circle_radius", self.max_circle_radius)?;
        if let Some((lo, hi)) = self.energy_range
            && !(lo.is_finite() && hi.is_finite() && hi > lo)
        {
            return Err(
                elm_core::Error::invalid("energy_range", format!("({lo}, {hi})"), "must be finite, lo < hi").into()
            );
        }
        Ok(())
    }
}

fn render_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::Render(format!("{e:?}"))
}

/// Energy range to draw: the data (leaves and merges) with 5% padding.
pub(crate) fn energy_range(dgs: &[&DisconnectivityGraph], style: &DgStyle) -> (f64, f64) {
    if let Some(r) = style.energy_range {
        return r;
    }
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for dg in dgs {
        for n in dg.graph().node_indices() {
            lo = lo.min(dg.node(n).energy);
            hi = hi.max(dg.node(n).energy);
        }
    }
    plot_range(lo, hi)
}

/// A drawable y range around `[lo, hi]`: padded, finite, and wide enough relative to its
/// magnitude that plotters can place ticks (a range of zero width at 1e300, where `lo - 1.0 ==
/// lo`, made its key-point search loop forever).
fn plot_range(lo: f64, hi: f64) -> (f64, f64) {
    let lo = if lo.is_finite() { lo } else { hi.min(0.0) - 1.0 };
    let hi = if hi.is_finite() { hi } else { lo.max(0.0) + 1.0 };
    let scale = lo.abs().max(hi.abs()).max(1.0);
    let span = hi - lo;
    let pad = if span.is_finite() && span > 1e-9 * scale { 0.05 * span } else { 1e-3 * scale };
    let (a, b) = (lo - pad, hi + 2.0 * pad);
    if a.is_finite() && b.is_finite() && b > a { (a, b) } else { (-f64::MAX / 4.0, f64::MAX / 4.0) }
}

/// Branch colour of a node: viridis over the value range, or black.
pub(crate) fn colours(dg: &DisconnectivityGraph, style: &DgStyle) -> HashMap<NodeIndex, RGBColor> {
    let values: Vec<f64> = dg.graph().node_indices().filter_map(|n| dg.node(n).value).collect();
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    dg.graph()
        .node_indices()
        .map(|n| {
            let c = match dg.node(n).value {
                Some(v) if style.colour_by_value => {
                    let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                    ViridisRGB::get_color(t)
                }
                _ => RGBColor(20, 20, 20),
            };
            (n, c)
        })
        .collect()
}

/// Draws branches of `dg` at leaf positions `x` onto a chart.
pub(crate) fn draw_branches<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    dg: &DisconnectivityGraph,
    x: &HashMap<NodeIndex, f64>,
    colour: &dyn Fn(NodeIndex) -> ShapeStyle,
    stub: f64,
) -> Result<()> {
    for n in dg.graph().node_indices() {
        let (xn, en) = (x[&n], dg.node(n).energy);
        let top = dg.parent(n).map_or(en + stub, |p| dg.node(p).energy);
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(xn, en), (xn, top)], colour(n))))
            .map_err(render_err)?;
        let children = dg.children(n);
        if children.len() >= 2 {
            let (lo, hi) = children
                .iter()
                .map(|c| x[c])
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(lo, en), (hi, en)], colour(n))))
                .map_err(render_err)?;
        }
    }
    Ok(())
}

impl DisconnectivityGraph {
    /// Draws the DG as an SVG document: energy axis on the left, one branch per node (vertical
    /// segments up to the parent's merge energy, horizontal bars across merged children), a
    /// circle at every leaf (area proportional to basin size when `size_circles`), branch
    /// colours from node values, leaf labels for small graphs.
    ///
    /// # Errors
    /// Invalid style; a drawing failure.
    ///
    /// # Example
    /// ```
    /// use elm_dg::{BarrierMatrix, DgParams, DgStyle, DisconnectivityGraph};
    /// let m = BarrierMatrix::from_rows(2, vec![-1.0, 0.5, 0.5, -2.0]).unwrap();
    /// let dg = DisconnectivityGraph::from_barriers(&m, &DgParams::default()).unwrap();
    /// let svg = dg.to_svg(&DgStyle::default().with_title("two minima")).unwrap();
    /// assert!(svg.starts_with("<svg") && svg.matches("<circle").count() == 2);
    /// ```
    pub fn to_svg(&self, style: &DgStyle) -> Result<String> {
        self.to_svg_with_images(style, &LeafImages::default())
    }

    /// As [`DisconnectivityGraph::to_svg`], with a panel of grayscale images under the leaves:
    /// the representative of each minimum in the bottom row and up to `style.member_rows` member
    /// images above it (seed 000 Fig. 16).
    ///
    /// # Errors
    /// Invalid style; image lists whose length is neither 0 nor the number of minima; a drawing
    /// failure.
    pub fn to_svg_with_images(&self, style: &DgStyle, images: &LeafImages) -> Result<String> {
        style.validate()?;
        for (what, len) in
            [("representative images", images.representatives.len()), ("member images", images.members.len())]
        {
            if len != 0 {
                elm_core::check::dim(what, self.minima_count(), len)?;
            }
        }
        for image in images.representatives.iter().flatten().chain(images.members.iter().flatten()) {
            image.validate()?;
        }
        let layout = self.layout();
        let x: HashMap<NodeIndex, f64> = layout.iter().copied().collect();
        let leaves = self.leaves().count();
        let (lo, hi) = energy_range(&[self], style);
        let has_images = !images.representatives.is_empty();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
            root.fill(&WHITE).map_err(render_err)?;
            let panel_rows =
                if has_images { 1 + if images.members.is_empty() { 0 } else { style.member_rows } } else { 0 };
            let cell = if has_images {
                ((style.width as f64 - 80.0) / leaves.max(1) as f64)
                    .min(64.0)
                    .min(style.height as f64 * 0.4 / panel_rows as f64)
            } else {
                0.0
            };
            let panel_h = (cell * panel_rows as f64).ceil() as u32 + if has_images { 10 } else { 0 };
            let (upper, lower) = root.split_vertically(style.height - panel_h);
            let mut chart = ChartBuilder::on(&upper)
                .caption(&style.title, ("sans-serif", 18))
                .margin(10)
                .margin_left(15)
                .y_label_area_size(60)
                .x_label_area_size(if leaves <= style.max_labelled_leaves { 25 } else { 5 })
                .build_cartesian_2d(-0.5..(leaves as f64 - 0.5), lo..hi)
                .map_err(render_err)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .disable_x_axis()
                .light_line_style(WHITE)
                .y_desc(style.energy_label.as_str())
                .draw()
                .map_err(render_err)?;
            let palette = colours(self, style);
            let colour = |n: NodeIndex| ShapeStyle { color: palette[&n].to_rgba(), filled: false, stroke_width: 2 };
            draw_branches(&mut chart, self, &x, &colour, 0.03 * (hi - lo))?;
            let max_size = self.leaves().map(|n| self.node(n).size).fold(0.0, f64::max);
            let radius = |n: NodeIndex| {
                if style.size_circles && max_size > 0.0 {
                    (3.0 + (style.max_circle_radius - 3.0) * (self.node(n).size / max_size).sqrt()).round() as i32
                } else {
                    3
                }
            };
            chart
                .draw_series(self.leaves().map(|n| {
                    let c = palette[&n];
                    Circle::new(
                        (x[&n], self.node(n).energy),
                        radius(n),
                        ShapeStyle { color: c.mix(0.45), filled: true, stroke_width: 1 },
                    )
                }))
                .map_err(render_err)?;
            if leaves <= style.max_labelled_leaves {
                chart
                    .draw_series(self.leaves().map(|n| {
                        EmptyElement::at((x[&n], lo))
                            + Text::new(self.node(n).label.clone(), (-4, 6), ("sans-serif", 11))
                    }))
                    .map_err(render_err)?;
            }
            if has_images {
                draw_images(&chart, &lower, self, &x, images, cell, style.member_rows)?;
            }
            root.present().map_err(render_err)?;
        }
        Ok(svg)
    }
}

/// Draws the image panel: representatives in the bottom row, members above.
fn draw_images<DB: DrawingBackend>(
    chart: &ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    panel: &DrawingArea<SVGBackend<'_>, Shift>,
    dg: &DisconnectivityGraph,
    x: &HashMap<NodeIndex, f64>,
    images: &LeafImages,
    cell: f64,
    member_rows: usize,
) -> Result<()> {
    let (_, panel_h) = panel.dim_in_pixel();
    let bottom = panel_h as f64 - 5.0;
    for leaf in dg.leaves() {
        let NodeKind::Leaf { minimum } = dg.node(leaf).kind else { continue };
        let (px, _) = chart.backend_coord(&(x[&leaf], 0.0));
        let left = px as f64 - cell / 2.0;
        let mut column: Vec<&GrayImage> = images.representatives[minimum].iter().collect();
        if let Some(m) = images.members.get(minimum) {
            column.extend(m.iter().take(member_rows));
        }
        for (row, img) in column.iter().enumerate() {
            let top = bottom - cell * (row + 1) as f64;
            draw_image(panel, img, left + 1.0, top + 1.0, cell - 2.0)?;
        }
    }
    Ok(())
}

fn draw_image(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    img: &GrayImage,
    left: f64,
    top: f64,
    size: f64,
) -> Result<()> {
    let px = size / img.width.max(img.height) as f64;
    for r in 0..img.height {
        for c in 0..img.width {
            let v = (img.pixels[r * img.width + c].clamp(0.0, 1.0) * 255.0).round() as u8;
            let x0 = (left + c as f64 * px).round() as i32;
            let y0 = (top + r as f64 * px).round() as i32;
            let x1 = (left + (c + 1) as f64 * px).round() as i32;
            let y1 = (top + (r + 1) as f64 * px).round() as i32;
            area.draw(&Rectangle::new([(x0, y0), (x1.max(x0 + 1), y1.max(y0 + 1))], RGBColor(v, v, v).filled()))
                .map_err(render_err)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::plot_range;

    #[test]
    fn plot_ranges_are_finite_and_wide() {
        for (lo, hi) in
            [(1e300, 1e300), (-1e300, 1e300), (f64::MAX, f64::MAX), (0.0, 0.0), (-3.0, 2.0), (f64::NAN, 1.0)]
        {
            let (a, b) = plot_range(lo, hi);
            assert!(
                a.is_finite() && b.is_finite() && b > a && b - a > 1e-10 * a.abs().max(b.abs()),
                "{lo} {hi}: {a} {b}"
            );
        }
        assert_eq!(plot_range(0.0, 1.0), (-0.05, 1.1));
    }
}
