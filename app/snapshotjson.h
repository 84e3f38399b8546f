// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/snapshot.h"

#include <QJsonObject>
#include <QString>

namespace memscope::app {

/// One step as JSON: objects with their memory facts, alias groups,
/// relations, changed elements and copy traffic.
QJsonObject snapshotToJson(const engine::Snapshot &snapshot);

/// The same step for a terminal: what ran, what it created or changed, and
/// each relation as "t2 = torch.tensor(a): copy, 48 B".
QString snapshotToText(const engine::Snapshot &snapshot, const engine::Snapshot *previous);

} // namespace memscope::app
