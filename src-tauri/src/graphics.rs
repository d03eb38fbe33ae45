//! How WebKit paints the window on a machine without a GPU.
//!
//! WebKitGTK paints its tiles with Skia, on the GPU when OpenGL is available. On a machine with
//! no GPU (a virtual machine, a remote desktop, a CI runner) OpenGL is still available, through
//! Mesa's software renderer, so WebKit paints on the "GPU" that is in fact the CPU, by way of an
//! OpenGL emulation: measured on such a machine, a frame that redraws the request list during a
//! burst took up to twice as long as with Skia's own CPU painter (`docs/benchmarks.md`). Without
//! a GPU device the shell therefore asks WebKit for CPU painting, before WebKit starts, unless
//! the user already chose with `WEBKIT_SKIA_ENABLE_CPU_RENDERING`. With a GPU, WebKit's default
//! is kept.

use std::path::Path;

/// WebKit's switch for Skia's CPU painter (read when its web process starts).
pub const CPU_PAINTING_VARIABLE: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Where Linux lists GPU devices (`renderD128`, `card0`, ...).
const DRI_DEVICES: &str = "/dev/dri";

/// Whether `dri_dir` lists a GPU device that Mesa could render with.
pub fn has_gpu_device(dri_dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dri_dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.starts_with("renderD") || name.starts_with("card")
    })
}

/// Whether to ask WebKit for CPU painting: only when the user has not chosen and there is no GPU.
pub fn cpu_painting_wanted(user_choice: Option<&str>, gpu_device: bool) -> bool {
    user_choice.is_none() && !gpu_device
}

/// Asks WebKit for CPU painting on a machine without a GPU device (Linux only). Must run before
/// the window is built and before any other thread reads the environment.
pub fn choose_painting() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let user_choice = std::env::var(CPU_PAINTING_VARIABLE).ok();
    if cpu_painting_wanted(user_choice.as_deref(), has_gpu_device(Path::new(DRI_DEVICES))) {
        std::env::set_var(CPU_PAINTING_VARIABLE, "1");
        tracing::info!("no GPU device in {DRI_DEVICES}: WebKit paints with its CPU painter");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_or_a_card_is_a_gpu_device_and_anything_else_is_not() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_gpu_device(dir.path()), "an empty folder");
        std::fs::write(dir.path().join("by-path"), b"").unwrap();
        assert!(!has_gpu_device(dir.path()), "only a by-path entry");
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_gpu_device(dir.path()), "a render node");

        let cards = tempfile::tempdir().unwrap();
        std::fs::write(cards.path().join("card0"), b"").unwrap();
        assert!(has_gpu_device(cards.path()), "a card");
        assert!(!has_gpu_device(&dir.path().join("missing")), "no folder at all");
    }

    #[test]
    fn cpu_painting_is_asked_for_only_without_a_gpu_and_without_a_choice_of_the_user() {
        assert!(cpu_painting_wanted(None, false));
        assert!(!cpu_painting_wanted(None, true));
        assert!(!cpu_painting_wanted(Some("0"), false), "the user chose the GPU painter");
        assert!(!cpu_painting_wanted(Some("1"), true), "already set by the user");
    }
}
