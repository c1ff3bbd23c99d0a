//! Whether the machine runs on battery (for the setting that pauses the analysis then). Linux
//! reads `/sys/class/power_supply`; elsewhere, and when nothing says, it is taken as on mains.

use std::path::Path;

/// True when a battery reports it is discharging and no mains supply is online.
pub fn on_battery() -> bool {
    on_battery_in(Path::new("/sys/class/power_supply"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_owned())
        .unwrap_or_default()
}

/// As [`on_battery`], over a `power_supply` folder.
pub fn on_battery_in(folder: &Path) -> bool {
    let Ok(supplies) = std::fs::read_dir(folder) else {
        return false;
    };
    let (mut discharging, mut mains) = (false, false);
    for supply in supplies.flatten() {
        let dir = supply.path();
        match read(&dir.join("type")).as_str() {
            "Battery" => discharging |= read(&dir.join("status")) == "Discharging",
            "Mains" | "USB" => mains |= read(&dir.join("online")) == "1",
            _ => {}
        }
    }
    discharging && !mains
}

#[cfg(test)]
mod tests {
    use super::*;

    fn supply(root: &Path, name: &str, files: &[(&str, &str)]) {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), format!("{text}\n")).unwrap();
        }
    }

    #[test]
    fn a_discharging_battery_without_mains_is_on_battery() {
        let root = tempfile::tempdir().unwrap();
        assert!(!on_battery_in(root.path()), "a desktop has no battery");
        supply(
            root.path(),
            "BAT0",
            &[("type", "Battery"), ("status", "Discharging")],
        );
        supply(root.path(), "AC", &[("type", "Mains"), ("online", "0")]);
        assert!(on_battery_in(root.path()));
        supply(root.path(), "AC", &[("type", "Mains"), ("online", "1")]);
        assert!(!on_battery_in(root.path()));
        supply(
            root.path(),
            "BAT0",
            &[("type", "Battery"), ("status", "Charging")],
        );
        supply(root.path(), "AC", &[("type", "Mains"), ("online", "0")]);
        assert!(!on_battery_in(root.path()));
        assert!(!on_battery_in(&root.path().join("none")));
    }
}
