//! An article's picture made safe and light: decoded within limits (a crafted file cannot
//! claim a billion pixels), turned upright as the camera said, scaled down to a width
//! phones need, and encoded afresh, which leaves behind every piece of metadata (the
//! EXIF block where a phone writes where a photo was taken) and anything hidden in the
//! file. SVG is never accepted: it can carry scripts.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder as _, ImageFormat, ImageReader, Limits};

/// The largest upload: a photo straight from a phone.
pub const UPLOAD_MAX_BYTES: usize = 12 * 1024 * 1024;
/// The widest picture served: a phone's column at twice its pixel density.
pub const MAX_WIDTH: u32 = 1200;
/// The tallest: a portrait photo stays readable without filling three screens.
const MAX_HEIGHT: u32 = 1600;
/// What a file may claim before it is decoded.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 400 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;

/// A picture ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The uploaded `bytes` as a [`Picture`], or what to tell staff.
pub fn prepare(bytes: &[u8]) -> Result<Picture, &'static str> {
    let refused = "Choose a PNG, JPEG or WebP picture";
    if bytes.is_empty() {
        return Err("The file is empty");
    }
    if bytes.len() > UPLOAD_MAX_BYTES {
        return Err("The picture must be 12 MB or smaller");
    }
    let format = match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => format,
        _ => return Err(refused),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| refused)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| refused)?;
    if image.width() == 0 || image.height() == 0 {
        return Err(refused);
    }
    image.apply_orientation(orientation);
    if image.width() > MAX_WIDTH || image.height() > MAX_HEIGHT {
        image = image.resize(MAX_WIDTH, MAX_HEIGHT, FilterType::CatmullRom);
    }
    encode(&image)
}

/// JPEG for photographs; PNG when the picture has transparency, which JPEG would lose.
fn encode(image: &DynamicImage) -> Result<Picture, &'static str> {
    let failed = "The picture could not be prepared; try another file";
    let mut bytes = Vec::new();
    let media_type = if image.color().has_alpha() {
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|_| failed)?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(&rgb)
            .map_err(|_| failed)?;
        "image/jpeg"
    };
    Ok(Picture {
        bytes,
        media_type,
        width: image.width(),
        height: image.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::new_rgb8(width, height);
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    #[test]
    fn a_large_photo_is_scaled_to_a_phone_width_keeping_its_shape() {
        let picture = prepare(&jpeg(2400, 1600)).unwrap();
        assert_eq!((picture.width, picture.height), (1200, 800));
        assert_eq!(picture.media_type, "image/jpeg");
        let again = image::load_from_memory(&picture.bytes).unwrap();
        assert_eq!((again.width(), again.height()), (1200, 800));
    }

    #[test]
    fn a_small_picture_keeps_its_size_and_transparency_keeps_png() {
        let picture = prepare(&jpeg(300, 200)).unwrap();
        assert_eq!((picture.width, picture.height), (300, 200));
        let mut png = Vec::new();
        DynamicImage::new_rgba8(40, 30)
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert_eq!(prepare(&png).unwrap().media_type, "image/png");
    }

    #[test]
    fn what_is_not_a_picture_is_refused() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        let truncated = &jpeg(64, 64)[..100];
        for bytes in [&svg[..], b"GIF89a", b"not an image at all", truncated] {
            assert!(prepare(bytes).is_err(), "{:?}", &bytes[..6]);
        }
        assert_eq!(prepare(b""), Err("The file is empty"));
        let huge = vec![0xFF; UPLOAD_MAX_BYTES + 1];
        assert_eq!(prepare(&huge), Err("The picture must be 12 MB or smaller"));
    }

    #[test]
    fn a_file_claiming_enormous_dimensions_is_refused_before_decoding() {
        // A PNG header that claims 100,000 × 100,000 pixels and holds none.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert!(prepare(&png).is_err());
    }
}
