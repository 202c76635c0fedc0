/* trust_test.h: assertions on doubles for the trust engine's tests.
 *
 * cmocka 1.1's assert_float_equal converts its arguments to float (about
 * 7 digits), too coarse for the engine's figures; assert_near compares in
 * double and fails on NaN. Include after <cmocka.h>.
 */
#ifndef RAPPORT_TESTS_TRUST_TEST_H
#define RAPPORT_TESTS_TRUST_TEST_H

#include <math.h>

#define assert_near(got, want, tol)                                                          \
  do {                                                                                       \
    double got_ = (got), want_ = (want), tol_ = (tol);                                       \
    if (!(fabs(got_ - want_) <= tol_))                                                       \
      fail_msg("%s = %.17g, want %.17g within %.3g", #got, got_, want_, tol_);               \
  } while (0)

/* |got - want| <= rel * |want|. */
#define assert_rel(got, want, rel)                                                           \
  do {                                                                                       \
    double gr_ = (got), wr_ = (want), rr_ = (rel);                                           \
    if (!(fabs(gr_ - wr_) <= rr_ * fabs(wr_)))                                               \
      fail_msg("%s = %.17g, want %.17g within %.3g relative", #got, gr_, wr_, rr_);          \
  } while (0)

#endif
