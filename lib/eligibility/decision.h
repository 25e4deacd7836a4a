/* SPDX-License-Identifier: Apache-2.0 */
/* eligibility/decision.h: internal access to a decision's explanation (tests). */
#ifndef CPW_ELIGIBILITY_DECISION_H
#define CPW_ELIGIBILITY_DECISION_H

#include "policy/explain.h"

/* The explainer of the decision's last evaluation: its tree, reasons and the spans of the
 * nodes in cpw_decision_explain's text (valid until the next evaluation). */
const cpw__explainer *cpw__decision_explainer(const cpw_decision *d);

#endif
