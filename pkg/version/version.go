package version

// Version is "dev" in builds that were not stamped.
var Version = "dev"
