import VoucherServices

extension AppRequestContext {
    /// The caller's identity when it has one of `roles` (any when empty) and the `menu`
    /// permission: 401 without a token, 403 for a wrong role or a missing permission.
    public func requireMenu(_ menu: MenuPermission, roles: Role...) throws -> Identity {
        guard let identity else { throw AuthProblem.missingToken }
        guard roles.isEmpty || roles.contains(identity.role) else { throw AuthProblem.wrongRole(roles) }
        guard identity.may(menu) else { throw AccountsError.menuForbidden(menu) }
        return identity
    }
}
