// Package metricstest reads metrics files back with Prometheus's own text
// parser (prometheus/common's expfmt), for the tests of the packages that
// write them. Only tests import it: the tools never link Prometheus's code
// (testscripts' size test keeps it so).
package metricstest
